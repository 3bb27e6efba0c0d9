import numpy as np
def delta_hidden(W_next, delta_next, z):
    s = 1 / (1 + np.exp(-z))
    return -(W_next.T @ delta_next) * s * (1 - s)
