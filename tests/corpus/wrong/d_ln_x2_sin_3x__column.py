"""Corpus, wrong: The right derivative as a (2, 1) column (CR-06: a row instead of a column; K2)."""

import math

import numpy as np


def d_ln_x2_sin_3x(x):
    return np.array([2 / x, 3 * math.cos(3 * x)]).reshape(2, 1)
