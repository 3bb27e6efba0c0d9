import numpy as np
def delta_output(z_L, y):
    s = 1 / (1 + np.exp(-z_L))
    return (z_L - y) * s * (1 - s)
