"""Corpus, wrong: The right gradient as a (1, 2) row matrix instead of shape (2,) (K2, GJ-01)."""

import math

import numpy as np


def grad_x2_cos_y(x, y):
    return np.array([[2 * x, -math.sin(y)]])
