"""Corpus, wrong: a module-level buffer that keeps the previous call's sums: right on a first call only."""

import numpy as np

_buffer = np.zeros(64)


def layer_forward(W, b_vec, a_prev):
    n = W.shape[0]
    _buffer[:n] += W @ a_prev + b_vec
    return np.maximum(0.0, _buffer[:n].copy())
