"""Corpus, wrong: d/dx sin(x + x^2) as cos(x + x^2) 2x: the direct path of x is dropped (CR-04)."""

import math


def d_sin_x_plus_x2(x):
    return math.cos(x + x**2) * 2 * x
