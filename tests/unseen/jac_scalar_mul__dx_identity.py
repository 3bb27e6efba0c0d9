import numpy as np
def jac_scalar_mul(x, z):
    return np.eye(len(x)), np.array(x, dtype=float)
