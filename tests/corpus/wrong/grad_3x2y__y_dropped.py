"""Corpus, wrong: The gradient of 3x^2 y as [6x, 3x^2]: y dropped from df/dx (GJ-02)."""

import numpy as np


def grad_3x2y(x, y):
    return np.array([6 * x, 3 * x**2])
