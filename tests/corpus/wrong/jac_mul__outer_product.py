"""Corpus, wrong: x x^T and w w^T: an outer product for a Hadamard product (EW-05)."""

import numpy as np


def jac_mul(w, x):
    return np.outer(x, x), np.outer(w, w)
