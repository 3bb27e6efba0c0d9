"""Corpus, wrong: a central difference with a relative step h = 1e-3 |x|, not the derivative: off by about 1e-6 relatively, more than float32 rounding."""


import math


def d_ln_x2(x):
    h = 1e-3 * abs(x)
    return (math.log((x + h) ** 2) - math.log((x - h) ** 2)) / (2 * h)
