"""Corpus, wrong: The activation as an array of shape (1,) instead of a float (K2)."""

import numpy as np


def neuron(w, b, x):
    return np.maximum(0.0, np.array([w @ x + b]))
