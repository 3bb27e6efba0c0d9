import numpy as np
def sigmoid_prime(z):
    s = 1 / (1 + np.exp(-z))
    return s * (s - 1)
