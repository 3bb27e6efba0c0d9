"""Corpus, wrong: d/dy y^3 left as y^3 (GJ-06)."""

import math

import numpy as np


def jacobian_2x_y3(x, y):
    return np.array([[2.0, y**3], [-13.0, math.exp(y)]])
