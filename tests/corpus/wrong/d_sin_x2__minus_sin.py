"""Corpus, wrong: d/dx sin(x^2) as -2x sin(x^2): sin' taken as -sin (SC-10)."""

import math


def d_sin_x2(x):
    return -2 * x * math.sin(x**2)
