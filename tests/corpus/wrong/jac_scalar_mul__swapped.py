"""Corpus, wrong: dy/dx = diag(x) and dy/dz = z 1_n: the roles swapped (SE-02)."""

import numpy as np


def jac_scalar_mul(x, z):
    return np.diag(x), z * np.ones(len(x))
