"""Corpus, wrong: (a - y) * s(z^L) instead of s'(z^L) (BP-02)."""

import numpy as np


def delta_output(z_L, y):
    s = 1 / (1 + np.exp(-z_L))
    return (s - y) * s
