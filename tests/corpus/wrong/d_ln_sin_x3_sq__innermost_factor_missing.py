"""Corpus, wrong: 2 cot(x^3): the innermost factor 3x^2 is missing (SC-11)."""

import math


def d_ln_sin_x3_sq(x):
    return 2 * math.cos(x**3) / math.sin(x**3)
