"""Corpus, wrong: the mask H(z) with a tolerance, z > 1e-3: small positive z count as inactive (LF-03)."""

import numpy as np


def layer_jacobian(W, b_vec, a_prev):
    z = W @ a_prev + b_vec
    return (z > 1e-3).astype(float)[:, None] * W
