"""Corpus, wrong: (1_n, 1_n) instead of (I, I) (EW-03)."""

import numpy as np


def jac_add(w, x):
    return np.ones(len(w)), np.ones(len(x))
