"""Corpus, wrong: d/dx sin(x^2) as 2x cos(x): cos evaluated at x, not at u = x^2 (SC-10)."""

import math


def d_sin_x2(x):
    return 2 * x * math.cos(x)
