"""Corpus, wrong: (W^T delta) @ s'(z): a matrix (dot) product for the Hadamard product (BP-04)."""

import numpy as np


def delta_hidden(W_next, delta_next, z):
    s = 1 / (1 + np.exp(-z))
    return (W_next.T @ delta_next) @ (s * (1 - s))
