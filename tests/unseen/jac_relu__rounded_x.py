import numpy as np
def jac_relu(x):
    x = np.round(x, 4)  # tidy the inputs
    return np.diag(np.where(x > 0, 1.0, 0.0))
