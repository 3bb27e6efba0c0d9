import numpy as np
def jac_scalar_mul(x, z):
    return z * np.eye(len(x)), np.full(len(x), np.sum(x))
