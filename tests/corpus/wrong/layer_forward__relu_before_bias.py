"""Corpus, wrong: max(0, W a) + b: the bias added after the ReLU (LF-02, LF-04)."""

import numpy as np


def layer_forward(W, b_vec, a_prev):
    return np.maximum(0, W @ a_prev) + b_vec
