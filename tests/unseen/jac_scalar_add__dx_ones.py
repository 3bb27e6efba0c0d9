import numpy as np
def jac_scalar_add(x, z):
    n = len(x)
    return np.ones((n, n)), np.ones(n)
