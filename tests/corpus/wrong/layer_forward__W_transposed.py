"""Corpus, wrong: W.T @ a_prev: W used as (n_in, n_out) (LF-01, LF-02: [110, 140])."""

import numpy as np


def layer_forward(W, b_vec, a_prev):
    return np.maximum(0, W.T @ a_prev + b_vec)
