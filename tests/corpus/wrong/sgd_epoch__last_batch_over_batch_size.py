"""Corpus, wrong: The short last batch averaged over batch_size instead of its size (GD-05, C-15)."""

import numpy as np


def sgd_epoch(w, b, X, y, lr, batch_size):
    for k in range(0, len(y), batch_size):
        Xb, yb = X[k:k + batch_size], y[k:k + batch_size]
        z = Xb @ w + b
        e = (z - yb) * (z > 0)
        w, b = w - lr * 2 / batch_size * (e @ Xb), b - lr * 2 / batch_size * float(np.sum(e))
    return w, b
