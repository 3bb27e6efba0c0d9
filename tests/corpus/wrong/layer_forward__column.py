"""Corpus, wrong: The right activations as an (n_out, 1) column (K2)."""

import numpy as np


def layer_forward(W, b_vec, a_prev):
    z = W @ a_prev.reshape(-1, 1) + b_vec.reshape(-1, 1)
    return np.maximum(0, z)
