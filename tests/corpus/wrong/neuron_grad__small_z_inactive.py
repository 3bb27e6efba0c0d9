"""Corpus, wrong: a tolerance on the mask: a small positive z is treated as inactive (K3, K11)."""

import numpy as np


def neuron_grad(w, b, x):
    z = np.dot(w, x) + b
    h = 1.0 if z > 1e-4 else 0.0
    return h * np.asarray(x, dtype=float), h
