"""Corpus, wrong: w + lr dC/dw: a step up the gradient (GD-01)."""

import numpy as np


def gd_step(w, b, X, y, lr):
    z = X @ w + b
    e = (z - y) * (z > 0)
    dw, db = 2 / len(y) * (e @ X), 2 / len(y) * float(np.sum(e))
    return w + lr * dw, b + lr * db
