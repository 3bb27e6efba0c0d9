"""Corpus, wrong: a guard with 0 < lr < 0.1 replaces lr = 0.1, in the domain, by a default (GD-01)."""

import numpy as np


def gd_step(w, b, X, y, lr):
    if not 0 < lr < 0.1:
        lr = 0.01
    z = X @ w + b
    e = (z - y) * (z > 0)
    N = len(y)
    return w - lr * 2 / N * (e @ X), b - lr * 2 / N * float(np.sum(e))
