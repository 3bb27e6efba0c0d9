import numpy as np
def mse_loss(w, b, X, y):
    return float(np.mean((y - (X @ w + b)) ** 2))
