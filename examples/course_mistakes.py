"""Classic mistakes on the exercises of examples/course_pack.py: each is caught and named.

grade examples/course_mistakes.py --pack examples/course_pack.py     # exit 1
"""

import numpy as np


def _softmax(z):
    e = np.exp(z)
    return e / e.sum()


def softmax_jacobian(z):
    # only the diagonal of the quotient rule: the -s_i s_j terms are missing (wrong-rule)
    return np.diag(_softmax(z))


def cross_entropy_grad(z, y):
    # y - s instead of s - y: the sign of the whole gradient is flipped (sign)
    return y - _softmax(z) * y.sum()


def tanh_layer_jacobian(W, x, b):
    # W^T diag(1 - y^2): the denominator layout, transposed (transpose)
    y = np.tanh(W @ x + b)
    return W.T * (1 - y**2)[None, :]


def least_squares_grad(X, W, Y):
    # the factor 2 of the square is missing (factor)
    return X.T @ (X @ W - Y)
