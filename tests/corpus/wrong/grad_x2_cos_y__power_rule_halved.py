"""Corpus: d/dx x^2 written as x, one entry off by a factor 1/2, the other right."""

import numpy as np


def grad_x2_cos_y(x, y):
    return np.array([x, -np.sin(y)])
