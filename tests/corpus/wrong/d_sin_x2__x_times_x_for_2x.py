"""Corpus, wrong: x*x*cos(x^2): x times x where 2x was meant; right only at x = 2, and equal to cos(x^2) at x = 1."""

import numpy as np


def d_sin_x2(x):
    return x * x * np.cos(x**2)
