"""Corpus, wrong: d/dx sin(x^2) as x cos(x^2): the 2 of the power rule is lost."""

import math


def d_sin_x2(x):
    return x * math.cos(x**2)
