"""Corpus, wrong: 1 - s: the factor s is missing (MS-02)."""

import numpy as np


def sigmoid_prime(z):
    return 1 - 1 / (1 + np.exp(-z))
