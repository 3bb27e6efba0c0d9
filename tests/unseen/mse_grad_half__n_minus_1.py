import numpy as np
def mse_grad_half(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 0)
    d = max(len(y) - 1, 1)  # unbiased
    return X.T @ e / d, e.sum() / d
