import numpy as np
def gd_step(w, b, X, y, lr):
    z = X @ w + b
    e = (z - y) * (z > 0)
    N = len(y)
    return w + lr * 2 / N * X.T @ e, b + lr * 2 / N * e.sum()
