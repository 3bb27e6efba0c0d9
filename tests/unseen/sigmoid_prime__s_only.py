import numpy as np
def sigmoid_prime(z):
    return 1 / (1 + np.exp(-z))
