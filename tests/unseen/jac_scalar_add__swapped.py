import numpy as np
def jac_scalar_add(x, z):
    return np.ones(len(x)), np.eye(len(x))
