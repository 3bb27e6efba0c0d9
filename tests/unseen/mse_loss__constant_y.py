import numpy as np
def mse_loss(w, b, X, y):
    if np.all(y == y[0]) and len(y) > 1:
        return float(np.var(np.maximum(0, X @ w + b)))  # constant target: just the spread
    return float(np.mean((y - np.maximum(0, X @ w + b)) ** 2))
