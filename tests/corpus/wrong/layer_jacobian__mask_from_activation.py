"""Corpus, wrong: The mask of a = max(0, z) >= 0, which always holds."""

import numpy as np


def layer_jacobian(W, b_vec, a_prev):
    a = np.maximum(0, W @ a_prev + b_vec)
    return np.diag((a >= 0).astype(float)) @ W
