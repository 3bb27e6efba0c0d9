"""Corpus, wrong: W diag(H(z)) instead of diag(H(z)) W: the wrong order (LF-03)."""

import numpy as np


def layer_jacobian(W, b_vec, a_prev):
    h = (W @ a_prev + b_vec > 0).astype(float)
    return W @ np.diag(h)
