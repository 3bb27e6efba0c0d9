"""Corpus, wrong: d/dx x^2 as 2: x dropped (GJ-05)."""

import math

import numpy as np


def grad_x2_cos_y(x, y):
    return np.array([2.0, -math.sin(y)])
