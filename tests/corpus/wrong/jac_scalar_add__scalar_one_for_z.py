"""Corpus, wrong: dy/dz as the scalar 1: the expansion to 1_n is forgotten (SE-01)."""

import numpy as np


def jac_scalar_add(x, z):
    return np.eye(len(x)), 1.0
