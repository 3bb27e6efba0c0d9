import numpy as np
def jac_scalar_add(x, z):
    return np.eye(len(x)), 1.0
