import numpy as np
def grad_3x2y(x, y):
    return np.array([3 * x**2, 6 * x * y])
