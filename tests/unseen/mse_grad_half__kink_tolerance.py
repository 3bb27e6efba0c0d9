import numpy as np
def mse_grad_half(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z >= 1e-3)
    return X.T @ e / len(y), e.sum() / len(y)
