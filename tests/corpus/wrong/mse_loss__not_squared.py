"""Corpus, wrong: (1/N) sum (y - a) without the square (LS-01, S004 l.490)."""

import numpy as np


def mse_loss(w, b, X, y):
    return float(np.mean(y - np.maximum(0, X @ w + b)))
