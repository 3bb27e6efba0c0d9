import numpy as np
def jac_mul(w, x):
    return np.diag(w), np.diag(x)
