"""Corpus, wrong: (2/N) sum ... under the 1/(2N) loss: the 1/2 forgotten (LS-05)."""

import numpy as np


def mse_grad_half(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 0)
    return 2 * (e @ X) / len(y), 2 * float(np.sum(e)) / len(y)
