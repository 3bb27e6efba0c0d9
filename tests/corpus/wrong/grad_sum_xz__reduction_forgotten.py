"""Corpus, wrong: dy/dx = z I: the reduction is forgotten (RD-03)."""

import numpy as np


def grad_sum_xz(x, z):
    return z * np.eye(len(x)), float(np.sum(x))
