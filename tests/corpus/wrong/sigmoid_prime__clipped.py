"""Corpus, wrong only in saturation: z clipped to [-4, 4] "against overflow" (MS-02)."""

import numpy as np


def sigmoid_prime(z):
    s = 1 / (1 + np.exp(-np.clip(z, -4, 4)))
    return s * (1 - s)
