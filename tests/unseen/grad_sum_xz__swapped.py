import numpy as np
def grad_sum_xz(x, z):
    return np.full(len(x), np.sum(x)), float(z)
