"""Corpus, wrong: 6x^2 cos(x^3) sin(x^3): the factor 1/u3 of the logarithm is missed (SC-11)."""

import math


def d_ln_sin_x3_sq(x):
    return 6 * x**2 * math.cos(x**3) * math.sin(x**3)
