"""Corpus, wrong: diag(x): x itself instead of the 0/1 mask (EW-09)."""

import numpy as np


def jac_relu(x):
    return np.diag(x)
