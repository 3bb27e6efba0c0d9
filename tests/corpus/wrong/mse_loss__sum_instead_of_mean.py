"""Corpus, wrong: The sum of the squared errors instead of their mean (C-5)."""

import numpy as np


def mse_loss(w, b, X, y):
    return float(np.sum((y - np.maximum(0, X @ w + b)) ** 2))
