"""Corpus, wrong: The notes' bottom-right entry g2 = y^3 (ER-05, GJ-10)."""

import math

import numpy as np


def jacobian_sin_ln(x, y):
    c = math.cos(x**2 + y)
    return np.array([[2 * x * c, c], [0.0, y**3]])
