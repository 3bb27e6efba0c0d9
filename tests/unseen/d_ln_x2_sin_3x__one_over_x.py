import numpy as np
def d_ln_x2_sin_3x(x):
    return np.array([1 / x, 3 * np.cos(3 * x)])
