"""Corpus, wrong: w (n, 1) - lr dC/dw (1, n): no transpose, broadcast to (n, n) (GD-01, ER-32)."""

import numpy as np


def gd_step(w, b, X, y, lr):
    z = X @ w + b
    e = (z - y) * (z > 0)
    dw = (2 / len(y) * (e @ X)).reshape(1, -1)
    db = 2 / len(y) * float(np.sum(e))
    return w.reshape(-1, 1) - lr * dw, b - lr * db
