"""Corpus, wrong: The short last batch dropped (GD-04 with drop_last)."""

import numpy as np


def sgd_epoch(w, b, X, y, lr, batch_size):
    for k in range(0, len(y) - batch_size + 1, batch_size):
        Xb, yb = X[k:k + batch_size], y[k:k + batch_size]
        z = Xb @ w + b
        e = (z - yb) * (z > 0)
        w, b = w - lr * 2 / len(yb) * (e @ Xb), b - lr * 2 / len(yb) * float(np.sum(e))
    return w, b
