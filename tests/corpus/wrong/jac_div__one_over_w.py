"""Corpus, wrong: d(w / x)/dw as diag(1/w) (EW-06)."""

import numpy as np


def jac_div(w, x):
    return np.diag(1 / w), np.diag(-w / x**2)
