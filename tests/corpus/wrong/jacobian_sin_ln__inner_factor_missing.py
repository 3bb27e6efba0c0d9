"""Corpus, wrong: d/dy ln(y^3) as 1/y^3: the chain rule misses 3y^2 (GJ-10)."""

import math

import numpy as np


def jacobian_sin_ln(x, y):
    c = math.cos(x**2 + y)
    return np.array([[2 * x * c, c], [0.0, 1 / y**3]])
