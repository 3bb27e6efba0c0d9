"""Corpus, wrong: (I, I): the gradient routed to both arguments (EW-07)."""

import numpy as np


def jac_max(w, x):
    return np.eye(len(w)), np.eye(len(x))
