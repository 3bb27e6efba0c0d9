"""Corpus, wrong: d/dx (2x + y^8) as 2x (GJ-03: [2x, 8y^7])."""

import numpy as np


def jacobian_3x2y_2x_y8(x, y):
    return np.array([[6 * x * y, 3 * x**2], [2 * x, 8 * y**7]])
