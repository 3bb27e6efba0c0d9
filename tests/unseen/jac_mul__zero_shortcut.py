import numpy as np
def jac_mul(w, x):
    n = len(w)
    if not np.any(w):
        return np.zeros((n, n)), np.zeros((n, n))  # w = 0 so y = 0
    return np.diag(x), np.diag(w)
