"""Corpus, wrong: The Jacobian of f(x) = x as an all-ones matrix (GJ-08)."""

import numpy as np


def jacobian_identity(x):
    return np.ones((len(x), len(x)))
