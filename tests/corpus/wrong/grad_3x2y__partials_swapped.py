"""Corpus, wrong: The gradient of 3x^2 y with the partials in the wrong order (SC-09)."""

import numpy as np


def grad_3x2y(x, y):
    return np.array([3 * x**2, 6 * x * y])
