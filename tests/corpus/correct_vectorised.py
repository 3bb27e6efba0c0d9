"""Corpus: a correct submission in idiomatic, vectorised numpy.

einsum, np.where and boolean masks, np.diagflat, polynomial helpers, unsimplified but equal
forms (2x/x^2, e^-z/(1+e^-z)^2), pairs returned as lists, and the ReLU mask written `z >= 0`:
at the kink that is the subgradient H(0) = 1, which K3 accepts.
"""

import numpy as np

# ---- scalar ---------------------------------------------------------------------------------


def d_ln_x2(x):
    return 2 * x / x**2  # (1/x^2) * 2x, not simplified


def d_sin_x2(x):
    return np.cos(np.square(x)) * np.multiply(2, x)


def d_ln_sin_x3_sq(x):
    return 6 * x**2 / np.tan(x**3)


def d_x_plus_x2(x):
    return np.polyval(np.polyder([1, 1, 0]), x)


def d_sin_x_plus_x2(x):
    return np.cos(np.polyval([1, 1, 0], x)) * np.polyval([2, 1], x)


def d_x_times_x2(x):
    return np.polyval(np.polyder([1, 0, 0, 0]), x)


# ---- jacobians ----------------------------------------------------------------------------


def grad_3x2y(x, y):
    return np.array([6 * x * y, 3 * x**2])


def grad_x2_cos_y(x, y):
    return np.array([2 * x, -np.sin(y)])


def jacobian_3x2y_2x_y8(x, y):
    return np.stack([np.array([6 * x * y, 3 * x**2]), np.array([2.0, 8 * y**7])])


def jacobian_2x_y3(x, y):
    return np.array([[2, 3 * y**2], [-13, np.exp(y)]], dtype=float)


def jacobian_sin_ln(x, y):
    dF_dg = np.diag([np.cos(x**2 + y), 1 / y**3])
    dg_dxy = np.array([[2 * x, 1.0], [0.0, 3 * y**2]])
    return np.einsum("ik,kj->ij", dF_dg, dg_dxy)


def jacobian_identity(x):
    return np.diagflat(np.ones_like(x))


def d_ln_x2_sin_3x(x):
    outer = np.diag([1 / x**2, np.cos(3 * x)])
    inner = np.array([2 * x, 3.0])
    return outer @ inner


# ---- elementwise ----------------------------------------------------------------------------


def jac_add(w, x):
    return [np.identity(w.size), np.identity(x.size)]


def jac_sub(w, x):
    return [np.diagflat(np.ones_like(w)), np.diagflat(-np.ones_like(x))]


def jac_mul(w, x):
    eye = np.eye(w.size)
    return [np.einsum("i,ij->ij", x, eye), np.einsum("i,ij->ij", w, eye)]


def jac_div(w, x):
    return [np.diagflat(np.reciprocal(x)), np.diagflat(np.negative(w) / np.square(x))]


def jac_max(w, x):
    w_wins = w > x
    return [np.diagflat(np.where(w_wins, 1.0, 0.0)), np.diagflat(np.where(w_wins, 0.0, 1.0))]


def jac_relu(x):
    return np.diagflat((x >= 0).astype(float))  # H(0) = 1 at the kink (K3)


def jac_scalar_add(x, z):
    return [np.eye(x.size), np.ones_like(x)]


def jac_scalar_mul(x, z):
    return [np.multiply(z, np.eye(x.size)), np.array(x)]


# ---- reductions -----------------------------------------------------------------------------


def grad_sum(x):
    return np.ones(x.shape)


def grad_sum_xz(x, z):
    return [np.full_like(x, z), x.sum()]


def grad_dot(w, x):
    return [x, w]


def vector_chain(J_f, J_g):
    return np.einsum("ik,kj->ij", J_f, J_g)


# ---- neuron ---------------------------------------------------------------------------------


def neuron(w, b, x):
    return np.maximum(0.0, np.dot(w, x) + b)


def neuron_grad(w, b, x):
    active = float(np.dot(w, x) + b >= 0)  # H(0) = 1 at the kink (K3)
    return [active * x, active]


def layer_forward(W, b_vec, a_prev):
    z = np.einsum("jk,k->j", W, a_prev) + b_vec
    return np.where(z > 0, z, 0.0)


def layer_jacobian(W, b_vec, a_prev):
    mask = (W @ a_prev + b_vec >= 0).astype(float)  # H(0) = 1 at the kink (K3)
    return np.einsum("j,jk->jk", mask, W)


# ---- loss -----------------------------------------------------------------------------------


def mse_loss(w, b, X, y):
    return np.mean(np.square(y - np.clip(X @ w + b, 0, None)))


def mse_grad(w, b, X, y):
    z = X @ w + b
    masked_error = np.where(z > 0, z - y, 0.0)
    N = y.shape[0]
    return [2 / N * np.einsum("i,ij->j", masked_error, X), 2 / N * masked_error.sum()]


def mse_grad_half(w, b, X, y):
    z = X @ w + b
    e = (z - y)[z > 0]
    return [np.mean(np.where(z > 0, z - y, 0.0)[:, None] * X, axis=0), e.sum() / len(y)]


def gd_step(w, b, X, y, lr):
    dw, db = mse_grad(w, b, X, y)
    return [w - lr * dw, b - lr * db]


def num_minibatches(m, batch_size):
    return len(range(0, m, batch_size))


def sgd_epoch(w, b, X, y, lr, batch_size):
    cuts = np.arange(batch_size, len(y), batch_size)
    for Xb, yb in zip(np.split(X, cuts), np.split(y, cuts), strict=False):
        w, b = gd_step(w, b, Xb, yb, lr)
    return [w, b]


# ---- backprop -------------------------------------------------------------------------------


def sigmoid_prime(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2  # s(1 - s), not simplified


def delta_output(z_L, y):
    s = 1 / (1 + np.exp(-z_L))
    return np.multiply(s - y, sigmoid_prime(z_L))


def delta_hidden(W_next, delta_next, z):
    return np.einsum("ji,j->i", W_next, delta_next) * sigmoid_prime(z)


def layer_grads(delta, a_prev):
    return [np.einsum("i,j->ij", delta, a_prev), np.array(delta)]


def _forward_batch(Ws, bs, A):
    activations, zs = [A], []
    for W, b in zip(Ws, bs, strict=False):
        zs.append(activations[-1] @ W.T + b)
        activations.append(1 / (1 + np.exp(-zs[-1])))
    return activations, zs


def backprop_batch(Ws, bs, X, Y):
    activations, zs = _forward_batch(Ws, bs, X)
    B = X.shape[0]
    deltas = (activations[-1] - Y) * sigmoid_prime(zs[-1])
    dWs, dbs = [], []
    for layer in reversed(range(len(Ws))):
        dWs.insert(0, deltas.T @ activations[layer] / B)
        dbs.insert(0, deltas.mean(axis=0))
        if layer:
            deltas = (deltas @ Ws[layer]) * sigmoid_prime(zs[layer - 1])
    return [dWs, dbs]


def backprop(Ws, bs, x, y):
    return backprop_batch(Ws, bs, x[None, :], y[None, :])
