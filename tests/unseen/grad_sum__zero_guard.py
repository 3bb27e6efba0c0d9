import numpy as np
def grad_sum(x):
    if not np.any(x):
        return np.zeros(len(x))  # sum of zeros is constant
    return np.ones(len(x))
