"""Corpus, wrong: d/dy ln(y^3) as 3y^2: the outer 1/g2 is missing (GJ-10)."""

import math

import numpy as np


def jacobian_sin_ln(x, y):
    c = math.cos(x**2 + y)
    return np.array([[2 * x * c, c], [0.0, 3 * y**2]])
