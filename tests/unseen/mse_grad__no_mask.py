import numpy as np
def mse_grad(w, b, X, y):
    e = X @ w + b - y
    N = len(y)
    return 2 / N * X.T @ e, 2 / N * e.sum()
