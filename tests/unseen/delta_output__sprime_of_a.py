import numpy as np
def delta_output(z_L, y):
    a = 1 / (1 + np.exp(-z_L))
    sa = 1 / (1 + np.exp(-a))
    return (a - y) * sa * (1 - sa)
