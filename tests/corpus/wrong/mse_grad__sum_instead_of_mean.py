"""Corpus, wrong: 2 sum ... without the 1/N: sum instead of mean (LS-03)."""

import numpy as np


def mse_grad(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 0)
    return 2 * (e @ X), 2 * float(np.sum(e))
