import numpy as np
def jac_scalar_mul(x, z):
    return np.array(x, dtype=float), z * np.eye(len(x))
