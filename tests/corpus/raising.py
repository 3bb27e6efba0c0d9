"""Corpus: functions that raise, return nothing or kill their process, beside right answers.

Each broken function costs only its own exercise (`error`); the right ones still pass.
"""

import math
import os

import numpy as np


def d_ln_x2(x):
    raise ValueError("not done yet")


def jac_relu(x):
    J = np.zeros((3, 3))  # a fixed size: raises IndexError as soon as n > 3
    for i in range(len(x)):
        J[i, i] = 1.0 if x[i] > 0 else 0.0
    return J[: len(x), : len(x)]


def grad_sum(x):
    np.ones_like(x)  # the return is missing: returns None


def layer_forward(W, b_vec, a_prev):
    os._exit(3)


def d_sin_x2(x):
    return 2 * x * math.cos(x**2)


def grad_3x2y(x, y):
    return np.array([6 * x * y, 3 * x**2])


def jac_add(w, x):
    return np.eye(len(w)), np.eye(len(x))


def neuron(w, b, x):
    return max(0.0, float(w @ x + b))
