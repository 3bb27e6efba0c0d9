"""Corpus: a stub that raises NotImplementedError (missing) and a misspelt function name.

`nueron_grad` is a right answer under the wrong name: neuron_grad is missing, and the report
asks "did you mean".  `neuron` is right and must still pass.
"""

import numpy as np


def neuron(w, b, x):
    return max(0.0, float(np.dot(w, x) + b))


def nueron_grad(w, b, x):
    h = 1.0 if np.dot(w, x) + b > 0 else 0.0
    return h * x, h


def mse_grad(w, b, X, y):
    raise NotImplementedError("TODO")
