"""Corpus, wrong: dC/dw masked but dC/db = (2/N) sum e_i with no mask (LS-04)."""

import numpy as np


def mse_grad(w, b, X, y):
    z = X @ w + b
    e = z - y
    return 2 / len(y) * ((e * (z > 0)) @ X), 2 / len(y) * float(np.sum(e))
