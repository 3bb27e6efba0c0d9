"""Corpus, wrong: d(w / x)/dx as diag(-1 / x^2): w dropped (EW-06)."""

import numpy as np


def jac_div(w, x):
    return np.diag(1 / x), np.diag(-1 / x**2)
