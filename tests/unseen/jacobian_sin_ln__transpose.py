import numpy as np
def jacobian_sin_ln(x, y):
    c = np.cos(x**2 + y)
    return np.array([[2 * x * c, c], [0, 3 / y]]).T
