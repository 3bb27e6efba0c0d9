import numpy as np
def mse_loss(w, b, X, y):
    return float(np.sum((y - np.maximum(0, X @ w + b)) ** 2))
