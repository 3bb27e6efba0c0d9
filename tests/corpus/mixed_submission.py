"""Corpus: a typical half-finished homework, some answers right and some wrong.

Used for the reproducibility test (same file and seed, byte-identical JSON) and the test that
grading writes nothing into the current directory.
"""

import math

import numpy as np


def d_ln_x2(x):
    return 1 / x**2  # wrong: the inner derivative is forgotten


def d_sin_x2(x):
    return 2 * x * math.cos(x**2)


def grad_x2_cos_y(x, y):
    return np.array([2 * x, -math.sin(x)])  # wrong: -sin(x) for -sin(y)


def jac_relu(x):
    return np.diag((x > 0).astype(float))


def jac_mul(w, x):
    return np.diag(w), np.diag(x)  # wrong: the arguments swapped


def neuron_grad(w, b, x):
    return x, 1.0  # wrong: the ReLU mask is forgotten


def num_minibatches(m, batch_size):
    return m // batch_size  # wrong: the short last batch is dropped


def grad_dot(w, x):
    return x, w
