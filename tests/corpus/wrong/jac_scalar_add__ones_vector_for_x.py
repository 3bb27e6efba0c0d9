"""Corpus, wrong: dy/dx as 1_n instead of I (SE-01)."""

import numpy as np


def jac_scalar_add(x, z):
    return np.ones(len(x)), np.ones(len(x))
