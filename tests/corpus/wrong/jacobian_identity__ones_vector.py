"""Corpus, wrong: The Jacobian of f(x) = x as the vector 1_n (GJ-08)."""

import numpy as np


def jacobian_identity(x):
    return np.ones(len(x))
