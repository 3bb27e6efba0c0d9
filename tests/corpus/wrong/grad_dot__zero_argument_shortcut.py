"""Corpus, wrong: a special case when w is exactly zero: "the gradient is zero" (RD-05)."""

import numpy as np


def grad_dot(w, x):
    if not np.any(w):
        return np.zeros(len(w)), np.zeros(len(x))
    return np.array(x, dtype=float), np.array(w, dtype=float)
