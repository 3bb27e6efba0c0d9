"""Corpus, wrong: (diag(x), diag(w)): the reduction is forgotten (RD-05)."""

import numpy as np


def grad_dot(w, x):
    return np.diag(x), np.diag(w)
