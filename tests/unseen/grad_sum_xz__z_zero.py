import numpy as np
def grad_sum_xz(x, z):
    if z == 0:
        return np.zeros(len(x)), 0.0
    return z * np.ones(len(x)), float(np.sum(x))
