"""Corpus, wrong: The transposed Jacobian (GJ-10)."""

import math

import numpy as np


def jacobian_sin_ln(x, y):
    c = math.cos(x**2 + y)
    return np.array([[2 * x * c, 0.0], [c, 3 / y]])
