import numpy as np
def delta_hidden(W_next, delta_next, z):
    return (W_next.T @ delta_next) / (1 + np.exp(-z))
