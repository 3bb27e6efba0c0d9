"""Corpus, wrong: z instead of max(0, z) inside the loss (LS-01)."""

import numpy as np


def mse_loss(w, b, X, y):
    return float(np.mean((y - (X @ w + b)) ** 2))
