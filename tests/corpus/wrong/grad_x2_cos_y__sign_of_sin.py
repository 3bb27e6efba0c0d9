"""Corpus, wrong: d/dy cos(y) as +sin(y) (GJ-05)."""

import math

import numpy as np


def grad_x2_cos_y(x, y):
    return np.array([2 * x, math.sin(y)])
