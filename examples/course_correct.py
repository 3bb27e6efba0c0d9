"""Correct answers to the exercises of examples/course_pack.py (docs/exercise-packs.md).

grade examples/course_correct.py --pack examples/course_pack.py      # exit 0
"""

import numpy as np


def _softmax(z):
    e = np.exp(z - z.max())  # shifted: the same softmax, never an overflow
    return e / e.sum()


def softmax_jacobian(z):
    s = _softmax(z)
    return np.diag(s) - np.outer(s, s)


def cross_entropy_grad(z, y):
    return _softmax(z) * y.sum() - y


def tanh_layer_jacobian(W, x, b):
    y = np.tanh(W @ x + b)
    return (1 - y**2)[:, None] * W


def least_squares_grad(X, W, Y):
    return 2 * X.T @ (X @ W - Y)
