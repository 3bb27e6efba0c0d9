"""Corpus, wrong: 2 (a - y) * s'(z^L) under the 1/2 cost (BP-03)."""

import numpy as np


def delta_output(z_L, y):
    s = 1 / (1 + np.exp(-z_L))
    return 2 * (s - y) * s * (1 - s)
