"""Corpus, wrong: [1/x^2, 3cos(3x)]: the inner 2x is missing (CR-06)."""

import math

import numpy as np


def d_ln_x2_sin_3x(x):
    return np.array([1 / x**2, 3 * math.cos(3 * x)])
