"""Corpus, wrong: repeated examples are dropped with np.unique before the mean (LS-03)."""

import numpy as np


def mse_grad(w, b, X, y):
    data = np.unique(np.column_stack([X, y]), axis=0)
    X, y = data[:, :-1], data[:, -1]
    z = X @ w + b
    e = (z - y) * (z > 0)
    N = len(y)
    return 2 / N * (e @ X), 2 / N * float(np.sum(e))
