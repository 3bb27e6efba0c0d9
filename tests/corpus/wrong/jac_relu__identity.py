"""Corpus, wrong: The identity: the ReLU mask is missing (EW-09)."""

import numpy as np


def jac_relu(x):
    return np.eye(len(x))
