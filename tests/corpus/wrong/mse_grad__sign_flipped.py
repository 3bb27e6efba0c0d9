"""Corpus, wrong: The error taken as y - prediction without the minus (LS-03, ER-31)."""

import numpy as np


def mse_grad(w, b, X, y):
    z = X @ w + b
    e = (y - z) * (z > 0)
    return 2 / len(y) * (e @ X), 2 / len(y) * float(np.sum(e))
