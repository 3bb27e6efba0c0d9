"""Corpus, wrong: the second row of the Jacobian negated (d/dx of 2x - y^8 written as -(2, 8y^7))."""

import numpy as np


def jacobian_3x2y_2x_y8(x, y):
    return np.array([[6 * x * y, 3 * x**2], [-2.0, -8 * y**7]])
