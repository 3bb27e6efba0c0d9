"""Corpus, wrong: w and x swapped: the Jacobians of x / w returned for w / x."""

import numpy as np


def jac_div(w, x):
    return [np.diag(1 / w), np.diag(-x / w**2)]
