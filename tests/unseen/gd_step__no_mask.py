import numpy as np
def gd_step(w, b, X, y, lr):
    e = X @ w + b - y
    N = len(y)
    return w - lr * 2 / N * X.T @ e, b - lr * 2 / N * e.sum()
