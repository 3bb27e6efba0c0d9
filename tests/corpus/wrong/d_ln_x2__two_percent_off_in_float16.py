"""Corpus, wrong: 2.04/x instead of 2/x, returned as float16: 2% off, not rounding (K14)."""

import numpy as np


def d_ln_x2(x):
    return np.float16(2.04 / x)
