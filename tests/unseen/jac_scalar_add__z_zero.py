import numpy as np
def jac_scalar_add(x, z):
    n = len(x)
    if z == 0:
        return np.eye(n), np.zeros(n)  # adding 0 does nothing
    return np.eye(n), np.ones(n)
