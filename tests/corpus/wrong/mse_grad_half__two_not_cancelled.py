"""Corpus, wrong: 1/(2N) sum ...: the 2 of the square not cancelled (LS-05)."""

import numpy as np


def mse_grad_half(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 0)
    return (e @ X) / (2 * len(y)), float(np.sum(e)) / (2 * len(y))
