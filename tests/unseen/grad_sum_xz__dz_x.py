import numpy as np
def grad_sum_xz(x, z):
    return z * np.ones(len(x)), np.array(x, dtype=float)
