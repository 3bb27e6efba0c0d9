import numpy as np
def sgd_epoch(w, b, X, y, lr, batch_size):
    n_batches = int(len(y) / batch_size + 0.5)
    for i in range(n_batches):
        Xb, yb = X[i * batch_size:(i + 1) * batch_size], y[i * batch_size:(i + 1) * batch_size]
        z = Xb @ w + b
        e = (z - yb) * (z > 0)
        w = w - lr * 2 / len(yb) * Xb.T @ e
        b = b - lr * 2 / len(yb) * e.sum()
    return w, b
