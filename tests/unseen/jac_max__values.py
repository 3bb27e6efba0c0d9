import numpy as np
def jac_max(w, x):
    m = np.maximum(w, x)
    return np.diag(m == w) * m, np.diag(m == x) * m
