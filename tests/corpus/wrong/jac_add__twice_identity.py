"""Corpus, wrong: (2I, 2I) (EW-03)."""

import numpy as np


def jac_add(w, x):
    return 2 * np.eye(len(w)), 2 * np.eye(len(x))
