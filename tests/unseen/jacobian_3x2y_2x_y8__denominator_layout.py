import numpy as np
def jacobian_3x2y_2x_y8(x, y):
    return np.array([[6 * x * y, 2], [3 * x**2, 8 * y**7]])
