"""Corpus, wrong: The gradient of sum(x) as I (RD-02)."""

import numpy as np


def grad_sum(x):
    return np.eye(len(x))
