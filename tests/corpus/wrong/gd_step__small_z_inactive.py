"""Corpus, wrong only near the kink: the mask of the gradient step is z > 1e-4 (K3)."""

import numpy as np


def gd_step(w, b, X, y, lr):
    z = X @ w + b
    e = (z - y) * (z > 1e-4)
    N = len(y)
    return w - lr * 2 / N * (X.T @ e), b - lr * 2 / N * float(e.sum())
