"""Corpus, wrong: [2/x, cos(3x)]: the inner 3 is missing (CR-06)."""

import math

import numpy as np


def d_ln_x2_sin_3x(x):
    return np.array([2 / x, math.cos(3 * x)])
