import numpy as np
def d_ln_x2_sin_3x(x):
    return np.array([2 / x, np.cos(3 * x)])
