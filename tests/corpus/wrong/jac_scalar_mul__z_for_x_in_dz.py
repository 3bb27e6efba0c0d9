"""Corpus: dy/dz of x * z returned as z ones (the variable itself, not x)."""

import numpy as np


def jac_scalar_mul(x, z):
    return z * np.eye(len(x)), z * np.ones(len(x))
