"""Corpus, wrong: s(1 - s) evaluated at s(z) instead of z (MS-02)."""

import numpy as np


def sigmoid_prime(z):
    a = 1 / (1 + np.exp(-z))
    s = 1 / (1 + np.exp(-a))
    return s * (1 - s)
