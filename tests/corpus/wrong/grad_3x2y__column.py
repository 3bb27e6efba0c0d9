"""Corpus, wrong: The right gradient as a (2, 1) column instead of shape (2,) (K2, GJ-01)."""

import numpy as np


def grad_3x2y(x, y):
    return np.array([[6 * x * y], [3 * x**2]])
