import numpy as np
def grad_x2_cos_y(x, y):
    return np.array([2 * x, np.sin(y)])
