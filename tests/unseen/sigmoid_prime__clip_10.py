import numpy as np
def sigmoid_prime(z):
    z = np.clip(z, -10, 10)  # avoid overflow
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)
