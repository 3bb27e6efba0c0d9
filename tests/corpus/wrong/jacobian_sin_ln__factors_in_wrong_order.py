"""Corpus, wrong: (dg/dxy)(dF/dg) instead of (dF/dg)(dg/dxy): the wrong order (GJ-10, CR-07)."""

import math

import numpy as np


def jacobian_sin_ln(x, y):
    dF_dg = np.diag([math.cos(x**2 + y), 1 / y**3])
    dg_dxy = np.array([[2 * x, 1.0], [0.0, 3 * y**2]])
    return dg_dxy @ dF_dg
