"""Corpus, wrong: e_i = y_i - a_i with the gradient sign kept positive (LS-05)."""

import numpy as np


def mse_grad_half(w, b, X, y):
    z = X @ w + b
    e = (y - np.maximum(0, z)) * (z > 0)
    return (e @ X) / len(y), float(np.sum(e)) / len(y)
