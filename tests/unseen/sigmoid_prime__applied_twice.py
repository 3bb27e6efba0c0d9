import numpy as np
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
def sigmoid_prime(z):
    a = sigmoid(z)
    return sigmoid(a) * (1 - sigmoid(a))
