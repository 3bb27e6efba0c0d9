"""Corpus, wrong: the ReLU mask rounds x first: 0 < x < 5e-4 counts as inactive (EW-09)."""

import numpy as np


def jac_relu(x):
    return np.diag((np.round(x, 3) > 0).astype(float))
