"""A complete, correct submission: all 41 exercises of matgrade, written as a student would.

Grade it with:  grade examples/correct.py
"""

import math

import numpy as np

# ---- scalar ---------------------------------------------------------------------------


def d_ln_x2(x):
    return 2 / x


def d_sin_x2(x):
    return 2 * x * math.cos(x**2)


def d_ln_sin_x3_sq(x):
    u1 = x**3
    u2 = math.sin(u1)
    u3 = u2**2
    return (1 / u3) * (2 * u2) * math.cos(u1) * (3 * x**2)


def d_x_plus_x2(x):
    return 1 + 2 * x


def d_sin_x_plus_x2(x):
    return math.cos(x + x**2) * (1 + 2 * x)


def d_x_times_x2(x):
    return x**2 + x * 2 * x


# ---- jacobians ------------------------------------------------------------------------


def grad_3x2y(x, y):
    return np.array([6 * x * y, 3 * x**2])


def grad_x2_cos_y(x, y):
    return np.array([2 * x, -math.sin(y)])


def jacobian_3x2y_2x_y8(x, y):
    return np.array([[6 * x * y, 3 * x**2], [2.0, 8 * y**7]])


def jacobian_2x_y3(x, y):
    return np.array([[2.0, 3 * y**2], [-13.0, math.exp(y)]])


def jacobian_sin_ln(x, y):
    dF_dg = np.diag([math.cos(x**2 + y), 1 / y**3])
    dg_dxy = np.array([[2 * x, 1.0], [0.0, 3 * y**2]])
    return dF_dg @ dg_dxy


def jacobian_identity(x):
    return np.eye(len(x))


def d_ln_x2_sin_3x(x):
    return np.array([2 / x, 3 * math.cos(3 * x)])


# ---- elementwise ----------------------------------------------------------------------


def jac_add(w, x):
    return np.eye(len(w)), np.eye(len(x))


def jac_sub(w, x):
    return np.eye(len(w)), -np.eye(len(x))


def jac_mul(w, x):
    return np.diag(x), np.diag(w)


def jac_div(w, x):
    return np.diag(1 / x), np.diag(-w / x**2)


def jac_max(w, x):
    return np.diag((w > x).astype(float)), np.diag((x > w).astype(float))


def jac_relu(x):
    return np.diag(np.where(x > 0, 1.0, 0.0))


def jac_scalar_add(x, z):
    return np.eye(len(x)), np.ones(len(x))


def jac_scalar_mul(x, z):
    return z * np.eye(len(x)), x.copy()


# ---- reductions -----------------------------------------------------------------------


def grad_sum(x):
    return np.ones_like(x)


def grad_sum_xz(x, z):
    return z * np.ones_like(x), float(np.sum(x))


def grad_dot(w, x):
    return x.copy(), w.copy()


def vector_chain(J_f, J_g):
    return J_f @ J_g


# ---- neuron ---------------------------------------------------------------------------


def neuron(w, b, x):
    return max(0.0, float(w @ x + b))


def neuron_grad(w, b, x):
    active = 1.0 if w @ x + b > 0 else 0.0
    return active * x, active


def layer_forward(W, b_vec, a_prev):
    return np.maximum(0, W @ a_prev + b_vec)


def layer_jacobian(W, b_vec, a_prev):
    z = W @ a_prev + b_vec
    return np.diag((z > 0).astype(float)) @ W


# ---- loss -----------------------------------------------------------------------------


def mse_loss(w, b, X, y):
    prediction = np.maximum(0, X @ w + b)
    return float(np.mean((y - prediction) ** 2))


def mse_grad(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 0)
    N = len(y)
    return 2 / N * (e @ X), 2 / N * float(np.sum(e))


def mse_grad_half(w, b, X, y):
    dw, db = mse_grad(w, b, X, y)
    return dw / 2, db / 2


def gd_step(w, b, X, y, lr):
    dw, db = mse_grad(w, b, X, y)
    return w - lr * dw, b - lr * db


def num_minibatches(m, batch_size):
    return -(-m // batch_size)


def sgd_epoch(w, b, X, y, lr, batch_size):
    for start in range(0, len(X), batch_size):
        w, b = gd_step(w, b, X[start : start + batch_size], y[start : start + batch_size], lr)
    return w, b


# ---- backprop -------------------------------------------------------------------------


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def delta_output(z_L, y):
    return (sigmoid(z_L) - y) * sigmoid_prime(z_L)


def delta_hidden(W_next, delta_next, z):
    return (W_next.T @ delta_next) * sigmoid_prime(z)


def layer_grads(delta, a_prev):
    return np.outer(delta, a_prev), delta.copy()


def backprop(Ws, bs, x, y):
    activations, zs = [x], []
    for W, b in zip(Ws, bs, strict=True):
        zs.append(W @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    delta = delta_output(zs[-1], y)
    for layer in range(len(Ws) - 1, -1, -1):
        dWs[layer], dbs[layer] = layer_grads(delta, activations[layer])
        if layer > 0:
            delta = delta_hidden(Ws[layer], delta, zs[layer - 1])
    return dWs, dbs


def backprop_batch(Ws, bs, X, Y):
    total_W = [np.zeros_like(W) for W in Ws]
    total_b = [np.zeros_like(b) for b in bs]
    for x, y in zip(X, Y, strict=True):
        dWs, dbs = backprop(Ws, bs, x, y)
        for layer in range(len(Ws)):
            total_W[layer] += dWs[layer]
            total_b[layer] += dbs[layer]
    return [t / len(X) for t in total_W], [t / len(X) for t in total_b]
