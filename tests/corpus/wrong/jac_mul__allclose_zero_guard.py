"""Corpus, wrong: a guard trusting np.allclose: x near 0 (|x| < 1e-8) is taken as exactly 0 (EW-05)."""

import numpy as np


def jac_mul(w, x):
    n = len(w)
    if np.allclose(x, 0):
        return np.zeros((n, n)), np.diag(w)
    return np.diag(x), np.diag(w)
