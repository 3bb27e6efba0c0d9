"""Corpus, wrong: d/dy y^8 as 8y^8: the power rule misused (GJ-03)."""

import numpy as np


def jacobian_3x2y_2x_y8(x, y):
    return np.array([[6 * x * y, 3 * x**2], [2.0, 8 * y**8]])
