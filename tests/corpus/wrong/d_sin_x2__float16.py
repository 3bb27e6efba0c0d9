"""Corpus, wrong: the right formula 2x cos(x^2) computed in float16: rounding alone (K14)."""

import numpy as np


def d_sin_x2(x):
    x = np.float16(x)
    return np.float16(2) * x * np.cos(x * x)
