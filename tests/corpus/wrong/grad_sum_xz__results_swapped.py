"""Corpus: the two results swapped, each in the other's shape: (sum(x) ones, z)."""

import numpy as np


def grad_sum_xz(x, z):
    return np.full(len(x), float(np.sum(x))), float(z)
