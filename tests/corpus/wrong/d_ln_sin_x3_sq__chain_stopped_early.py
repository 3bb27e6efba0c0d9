"""Corpus, wrong: The chain stopped at 1/sin(x^3)^2 (SC-11)."""

import math


def d_ln_sin_x3_sq(x):
    return 1 / math.sin(x**3) ** 2
