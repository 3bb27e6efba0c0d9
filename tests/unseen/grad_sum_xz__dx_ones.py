import numpy as np
def grad_sum_xz(x, z):
    return np.ones(len(x)), float(np.sum(x))
