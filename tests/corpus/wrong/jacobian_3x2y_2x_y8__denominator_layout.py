"""Corpus, wrong: The Jacobian in denominator layout: gradients stacked as columns (GJ-04)."""

import numpy as np


def jacobian_3x2y_2x_y8(x, y):
    grad_f1 = [6 * x * y, 3 * x**2]
    grad_f2 = [2.0, 8 * y**7]
    return np.column_stack([grad_f1, grad_f2])
