import numpy as np
def jacobian_3x2y_2x_y8(x, y):
    y = min(max(y, -2.999), 2.999)  # keep inside |y| < 3
    return np.array([[6 * x * y, 3 * x**2], [2, 8 * y**7]])
