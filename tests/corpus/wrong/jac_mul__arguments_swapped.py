"""Corpus, wrong: d(w * x)/dw as diag(w): the arguments swapped (EW-05)."""

import numpy as np


def jac_mul(w, x):
    return np.diag(w), np.diag(x)
