import numpy as np
def d_sin_x2(x):
    return -2 * x * np.cos(x**2)
