"""Corpus, wrong: The right gradient as an (n, 1) column (RD-02: 1_n, T)."""

import numpy as np


def grad_sum(x):
    return np.ones((len(x), 1))
