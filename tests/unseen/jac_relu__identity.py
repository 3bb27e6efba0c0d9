import numpy as np
def jac_relu(x):
    return np.eye(len(x))
