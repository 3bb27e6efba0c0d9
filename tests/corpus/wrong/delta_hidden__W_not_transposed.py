"""Corpus, wrong: (W delta) * s'(z): the missing transpose (BP-04); raises unless W is square."""

import numpy as np


def delta_hidden(W_next, delta_next, z):
    s = 1 / (1 + np.exp(-z))
    return (W_next @ delta_next) * s * (1 - s)
