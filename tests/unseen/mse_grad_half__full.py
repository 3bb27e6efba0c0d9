import numpy as np
def mse_grad_half(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 0)
    return 2 * X.T @ e / len(y), 2 * e.sum() / len(y)
