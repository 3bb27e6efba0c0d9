"""A submission with the classic mistakes of catalogue.md §4: grade it to see the reports.

Grade it with:  grade examples/mistakes.py
"""

import math

import numpy as np


def d_ln_x2(x):
    return 1 / x**2  # the inner derivative 2x is forgotten


def grad_x2_cos_y(x, y):
    return np.array([2 * x, -math.sin(x)])  # the notes' slip: -sin(x) for -sin(y)


def jacobian_2x_y3(x, y):
    return np.array([[2.0, -13.0], [3 * y**2, math.exp(y)]])  # denominator layout


def jac_relu(x):
    return (x > 0).astype(float)  # the diagonal as a vector, not the matrix


def neuron_grad(w, b, x):
    return x, 1.0  # the ReLU mask is forgotten


def mse_grad(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 0)
    return e @ X / len(y), np.sum(e) / len(y)  # the factor 2 is dropped


def num_minibatches(m, batch_size):
    return m // batch_size  # the short last batch is dropped


def delta_hidden(W_next, delta_next, z):
    s = 1 / (1 + np.exp(-z))
    return (W_next @ delta_next) * s * (1 - s)  # W instead of W.T


def backprop_batch(Ws, bs, X, Y):
    raise NotImplementedError  # a stub counts as missing
