"""Corpus, wrong: The notes' slip (ER-01): df/dy = -sin(x) instead of -sin(y) (GJ-05)."""

import math

import numpy as np


def grad_x2_cos_y(x, y):
    return np.array([2 * x, -math.sin(x)])
