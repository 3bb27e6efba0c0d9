import numpy as np
def mse_grad_half(w, b, X, y):
    z = X @ w + b
    e = z - y
    return X.T @ (e * (z > 0)) / len(y), e.sum() / len(y)
