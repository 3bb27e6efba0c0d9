"""Corpus, wrong: dy/dz as n: the ones summed (SE-01)."""

import numpy as np


def jac_scalar_add(x, z):
    return np.eye(len(x)), float(len(x))
