"""Corpus, wrong: The right dC/dw as an (n, 1) column (LS-03: a column, T; K2)."""

import numpy as np


def mse_grad(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 0)
    return (2 / len(y) * (X.T @ e)).reshape(-1, 1), 2 / len(y) * float(np.sum(e))
