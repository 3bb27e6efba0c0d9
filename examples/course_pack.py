"""The exercise pack of docs/exercise-packs.md: four exercises of a first deep-learning course.

Grade a student's file against it with

    grade examples/course_correct.py --pack examples/course_pack.py

and check the pack itself (every reference against finite differences of its primal) with

    grade pack check examples/course_pack.py
"""

import numpy as np
import sympy as sp

from matgrade.pack import Mistake, Pack, interval, matrix, scalar, size, vector

pack = Pack("course", title="softmax, cross-entropy, a tanh layer and least squares", section="Lecture 4")

n = size("n", 1, 6)  # classes, or inputs of a layer
m = size("m", 1, 5)  # outputs of a layer
N = size("N", 1, 5)  # examples, one per row (K5)
k = size("k", 1, 3)  # targets per example


# 1. The softmax Jacobian.  exp overflows past 709 and the Jacobian of a saturated softmax is 0
#    to the last digit, which hides every mistake: logits in [-5, 5] keep every s_i above 9e-6 (n <= 6).
def softmax(z):
    e = z.applyfunc(sp.exp)
    return e / sum(e)


pack.add(
    "softmax_jacobian",
    params=[vector("z", n, interval(-5, 5))],
    value=vector("s", n),
    sympy=softmax,
    task="Return the Jacobian ds/dz of s = softmax(z), s_i = exp(z_i) / sum_j exp(z_j): shape (n, n).",
    hint="the quotient rule gives two terms, one only on the diagonal (i = j)",
    mistakes=[
        Mistake(
            "wrong-rule",
            "you returned diag(s): the -s_i s_j of the quotient rule is missing",
            lambda z: np.diag(np.exp(z) / np.exp(z).sum()),
        ),
    ],
)


# 2. Cross-entropy after softmax, with respect to the logits.  y is a probability vector
#    (entries in [0, 1]; they need not sum to 1 for the derivative to be defined, and
#    a gradient s * sum(y) - y catches the student who assumed they do).
def cross_entropy(z, y):
    e = z.applyfunc(sp.exp)
    total = sum(e)
    return -sum(y[i] * sp.log(e[i] / total) for i in range(len(z)))


pack.add(
    "cross_entropy_grad",
    params=[vector("z", n, interval(-5, 5)), vector("y", n, interval(0, 1))],
    value=scalar("L"),
    wrt="z",
    results="dL/dz",
    sympy=cross_entropy,
    task="Return the gradient dL/dz of L = -sum_i y_i log(softmax(z)_i), shape (n,).",
    hint="write log s_i = z_i - log sum_j exp(z_j) before differentiating",
    mistakes=[
        Mistake(
            "wrong-rule",
            "you returned softmax(z) - y, which assumes sum(y) = 1; here it need not be",
            lambda z, y: np.exp(z) / np.exp(z).sum() - y,
        ),
    ],
)


# 3. A tanh layer's Jacobian with respect to its input: y = tanh(W x + b).  tanh saturates
#    too: W, x and b in [-1, 1] keep |W x + b| <= 7 (n <= 6), where 1 - tanh^2 >= 3e-6;
#    numpy computes it anyway, so the finite differences use the numpy primal.
def tanh_layer(W, x, b):
    return np.tanh(W @ x + b)


def tanh_layer_jacobian(W, x, b):
    y = np.tanh(W @ x + b)
    return (1 - y**2)[:, None] * W


pack.add(
    "tanh_layer_jacobian",
    params=[
        matrix("W", m, n, interval(-1, 1)),
        vector("x", n, interval(-1, 1)),
        vector("b", m, interval(-1, 1)),
    ],
    value=vector("y", m),
    wrt="x",
    results="dy/dx",
    numpy=tanh_layer,
    derivative=tanh_layer_jacobian,
    task="Return the Jacobian dy/dx of y = tanh(W @ x + b), W of shape (m, n): shape (m, n) (K1).",
    hint="chain rule: d tanh(u)/du = 1 - tanh(u)^2, then du/dx = W",
)


# 4. A matrix-valued gradient: d/dW ||X W - Y||^2, X (N, n), W (n, k), Y (N, k).
def squared_error(X, W, Y):
    R = X * W - Y
    return sum(r**2 for r in R)


pack.add(
    "least_squares_grad",
    params=[matrix("X", N, n), matrix("W", n, k), matrix("Y", N, k)],
    wrt="W",
    value=scalar("L"),
    results="dL/dW",
    sympy=squared_error,
    task="Return the gradient dL/dW of L = ||X @ W - Y||^2 (squared Frobenius norm): shape (n, k), W's.",
    hint="L = sum of squared residuals R = X W - Y; dR_rc/dW_ac = X_ra",
)
