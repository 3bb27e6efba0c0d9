import numpy as np
def sigmoid_prime(z):
    s = 1 / (1 + np.exp(-z))
    return np.where(np.abs(z) > 15, 0.0, s * (1 - s))
