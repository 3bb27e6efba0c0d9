"""Corpus, wrong: The step of the 1/(2N) loss: half the right step (K8)."""

import numpy as np


def gd_step(w, b, X, y, lr):
    z = X @ w + b
    e = (z - y) * (z > 0)
    dw, db = (e @ X) / len(y), float(np.sum(e)) / len(y)
    return w - lr * dw, b - lr * db
