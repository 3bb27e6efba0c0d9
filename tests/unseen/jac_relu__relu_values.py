import numpy as np
def jac_relu(x):
    return np.diag(np.maximum(0, x))
