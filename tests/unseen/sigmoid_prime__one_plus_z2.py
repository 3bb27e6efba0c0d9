import numpy as np
def sigmoid_prime(z):
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s) * (1 + z**2) / 2
