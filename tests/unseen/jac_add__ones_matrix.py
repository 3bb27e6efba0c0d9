import numpy as np
def jac_add(w, x):
    n = len(w)
    return np.ones((n, n)), np.ones((n, n))
