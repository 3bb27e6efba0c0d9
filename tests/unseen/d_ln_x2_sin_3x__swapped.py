import numpy as np
def d_ln_x2_sin_3x(x):
    return np.array([3 * np.cos(3 * x), 2 / x])
