"""Corpus, wrong: (1/N) sum ...: the factor 2 of the square is dropped (LS-03)."""

import numpy as np


def mse_grad(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 0)
    return e @ X / len(y), float(np.sum(e)) / len(y)
