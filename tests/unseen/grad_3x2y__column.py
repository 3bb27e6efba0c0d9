import numpy as np
def grad_3x2y(x, y):
    return np.array([[6 * x * y], [3 * x**2]])
