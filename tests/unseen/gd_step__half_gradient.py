import numpy as np
def gd_step(w, b, X, y, lr):
    z = X @ w + b
    e = (z - y) * (z > 0)
    N = len(y)
    return w - lr * X.T @ e / N, b - lr * e.sum() / N
