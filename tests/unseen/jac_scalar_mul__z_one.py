import numpy as np
def jac_scalar_mul(x, z):
    n = len(x)
    if z == 1:
        return np.eye(n), np.ones(n)
    return z * np.eye(n), np.array(x, dtype=float)
