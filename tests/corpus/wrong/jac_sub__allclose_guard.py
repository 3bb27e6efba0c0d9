"""Corpus, wrong: "w = x means y = 0, a constant": a guard with np.allclose returns zero Jacobians (EW-04)."""

import numpy as np


def jac_sub(w, x):
    n = len(w)
    if np.allclose(w, x):
        return np.zeros((n, n)), np.zeros((n, n))
    return np.eye(n), -np.eye(n)
