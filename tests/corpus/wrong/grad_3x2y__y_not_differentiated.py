"""Corpus, wrong: df/dy of 3x^2 y as 3x^2 y: the variable is not differentiated (SC-09)."""

import numpy as np


def grad_3x2y(x, y):
    return np.array([6 * x * y, 3 * x**2 * y])
