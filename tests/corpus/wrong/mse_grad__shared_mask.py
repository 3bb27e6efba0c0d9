"""Corpus, wrong: The mask pulled outside the sum, one condition for all examples (ER-30, LS-03)."""

import numpy as np


def mse_grad(w, b, X, y):
    z = X @ w + b
    if not np.any(z > 0):
        return np.zeros_like(w), 0.0
    e = z - y
    return 2 / len(y) * (e @ X), 2 / len(y) * float(np.sum(e))
