import numpy as np
def grad_sum(x):
    return np.full(len(x), float(len(x)))
