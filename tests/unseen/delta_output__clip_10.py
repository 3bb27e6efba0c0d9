import numpy as np
def delta_output(z_L, y):
    z = np.clip(z_L, -10, 10)
    s = 1 / (1 + np.exp(-z))
    return (s - y) * s * (1 - s)
