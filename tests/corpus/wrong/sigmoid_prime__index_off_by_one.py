"""Corpus, wrong: a loop that reads z[i - 1] for z[i]: right for one entry, shifted by one place from two on."""

import numpy as np


def sigmoid_prime(z):
    out = np.empty(len(z))
    for i in range(len(z)):
        s = 1 / (1 + np.exp(-z[i - 1]))
        out[i] = s * (1 - s)
    return out
