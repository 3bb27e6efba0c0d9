"""Corpus, wrong: Top-right entry 0: forgets that x^2 + y depends on y (GJ-10)."""

import math

import numpy as np


def jacobian_sin_ln(x, y):
    c = math.cos(x**2 + y)
    return np.array([[2 * x * c, 0.0], [0.0, 3 / y]])
