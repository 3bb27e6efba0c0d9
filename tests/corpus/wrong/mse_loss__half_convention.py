"""Corpus, wrong: The notes' 1/(2N) loss where P&H's 1/N is asked for (K8)."""

import numpy as np


def mse_loss(w, b, X, y):
    return float(np.mean((y - np.maximum(0, X @ w + b)) ** 2)) / 2
