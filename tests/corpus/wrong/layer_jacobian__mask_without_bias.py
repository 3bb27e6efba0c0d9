"""Corpus, wrong: the ReLU mask taken at W a_prev, the bias left out of z; equal to W where W a_prev > 0."""

import numpy as np


def layer_jacobian(W, b_vec, a_prev):
    mask = (W @ a_prev > 0).astype(float)
    return mask[:, None] * W
