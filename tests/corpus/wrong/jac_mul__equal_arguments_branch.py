"""Corpus, wrong: a branch for equal arguments: y = w * w, so both Jacobians are 2 diag(w) (EW-05)."""

import numpy as np


def jac_mul(w, x):
    if np.array_equal(w, x):
        d = 2 * np.diag(w)
        return d, d
    return np.diag(x), np.diag(w)
