import numpy as np
def jac_max(w, x):
    near = np.abs(w - x) < 1e-2
    dw = np.where(near, 0.5, (w > x) * 1.0)
    dx = np.where(near, 0.5, (x > w) * 1.0)
    return np.diag(dw), np.diag(dx)
