import numpy as np
def delta_output(z_L, y):
    return 1 / (1 + np.exp(-z_L)) - y
