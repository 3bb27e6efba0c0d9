"""Corpus, wrong: diag(sign(x)) (EW-09)."""

import numpy as np


def jac_relu(x):
    return np.diag(np.sign(x))
