"""Corpus, wrong only near the kink: a unit with 0 < z <= 1e-3 is treated as inactive (K3)."""

import numpy as np


def neuron(w, b, x):
    z = float(np.dot(w, x) + b)
    return z if z > 1e-3 else 0.0
