"""Corpus, wrong: d/dx sin(x^2) as cos(x^2): the inner derivative 2x is forgotten (SC-10)."""

import math


def d_sin_x2(x):
    return math.cos(x**2)
