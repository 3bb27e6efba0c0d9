"""Corpus, wrong: The transposed Jacobian [[2, -13], [3y^2, e^y]] (GJ-06)."""

import math

import numpy as np


def jacobian_2x_y3(x, y):
    return np.array([[2.0, -13.0], [3 * y**2, math.exp(y)]])
