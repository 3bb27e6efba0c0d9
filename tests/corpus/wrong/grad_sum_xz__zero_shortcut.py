"""Corpus, wrong only at z = 0 exactly: "multiplying by 0 gives 0", so dy/dz is returned as 0 too."""

import numpy as np


def grad_sum_xz(x, z):
    if z == 0:
        return np.zeros(len(x)), 0.0
    return z * np.ones(len(x)), float(np.sum(x))
