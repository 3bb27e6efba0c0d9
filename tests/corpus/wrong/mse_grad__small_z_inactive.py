"""Corpus, wrong: examples with 0 < z_i < 1e-5 are left out of the mask (LS-03)."""

import numpy as np


def mse_grad(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 1e-5)
    N = len(y)
    return 2 / N * (e @ X), 2 / N * float(np.sum(e))
