"""Corpus: a leaky ReLU, 0.01 z for z < 0, where the contract's ReLU is 0."""

import numpy as np


def layer_forward(W, b_vec, a_prev):
    z = W @ a_prev + b_vec
    return np.where(z > 0, z, 0.01 * z)
