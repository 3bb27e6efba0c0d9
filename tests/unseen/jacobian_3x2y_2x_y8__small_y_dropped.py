import numpy as np
def jacobian_3x2y_2x_y8(x, y):
    d = 8 * y**7 if abs(y) >= 1 else 0.0  # y^7 is negligible below 1
    return np.array([[6 * x * y, 3 * x**2], [2, d]])
