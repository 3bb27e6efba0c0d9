"""Corpus, wrong: entries with |x_i| <= 0.1 are zeroed, though |x_i| = 0.1 is in the domain (EW-06)."""

import numpy as np


def jac_div(w, x):
    safe = np.abs(x) > 0.1
    inv = np.where(safe, 1 / np.where(safe, x, 1.0), 0.0)
    return np.diag(inv), np.diag(-w * inv**2)
