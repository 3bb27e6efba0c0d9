"""Corpus, wrong: dy/dz = x: the sum is forgotten (RD-03)."""

import numpy as np


def grad_sum_xz(x, z):
    return z * np.ones(len(x)), x.copy()
