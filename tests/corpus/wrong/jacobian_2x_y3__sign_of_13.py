"""Corpus, wrong: d/dx (e^y - 13x) as +13 (GJ-06)."""

import math

import numpy as np


def jacobian_2x_y3(x, y):
    return np.array([[2.0, 3 * y**2], [13.0, math.exp(y)]])
