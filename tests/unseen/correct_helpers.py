"""Assignment 1.  I wrote small helpers first and built everything from them."""
import math

import numpy as np


def relu(z):
    return np.maximum(z, 0.0)


def step(z):
    """H(z): 1 where z > 0, else 0 (K3)."""
    return np.asarray(np.asarray(z) > 0, dtype=np.float64)


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -z))


def dsigmoid(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def chain(*factors):
    out = 1.0
    for f in factors:
        out = out * f
    return out


def d_ln_x2(x):
    return chain(1 / x**2, 2 * x)


def d_sin_x2(x):
    return chain(math.cos(x**2), 2 * x)


def d_ln_sin_x3_sq(x):
    u1 = x**3
    return chain(1 / math.sin(u1) ** 2, 2 * math.sin(u1), math.cos(u1), 3 * x**2)


def d_x_plus_x2(x):
    return 1 + 2 * x


def d_sin_x_plus_x2(x):
    return chain(math.cos(x + x**2), 1 + 2 * x)


def d_x_times_x2(x):
    return x**2 + x * (2 * x)


def grad_3x2y(x, y):
    return np.array([6.0 * x * y, 3.0 * x**2])


def grad_x2_cos_y(x, y):
    return np.array([2.0 * x, -math.sin(y)])


def jacobian_3x2y_2x_y8(x, y):
    J = np.zeros((2, 2))
    J[0] = grad_3x2y(x, y)
    J[1] = [2.0, 8.0 * y**7]
    return J


def jacobian_2x_y3(x, y):
    J = np.empty((2, 2))
    J[0, 0], J[0, 1] = 2.0, 3.0 * y**2
    J[1, 0], J[1, 1] = -13.0, math.exp(y)
    return J


def jacobian_sin_ln(x, y):
    J = np.zeros((2, 2))
    J[0, 0] = chain(math.cos(x**2 + y), 2 * x)
    J[0, 1] = math.cos(x**2 + y)
    J[1, 1] = chain(1 / y**3, 3 * y**2)
    return J


def jacobian_identity(x):
    n = np.asarray(x).shape[0]
    J = np.zeros((n, n))
    np.fill_diagonal(J, 1.0)
    return J


def d_ln_x2_sin_3x(x):
    return np.array([d_ln_x2(x), chain(math.cos(3 * x), 3)])


def elementwise(dw, dx):
    return np.diag(np.asarray(dw, dtype=float)), np.diag(np.asarray(dx, dtype=float))


def jac_add(w, x):
    return elementwise(np.ones(len(w)), np.ones(len(x)))


def jac_sub(w, x):
    return elementwise(np.ones(len(w)), -np.ones(len(x)))


def jac_mul(w, x):
    return elementwise(x, w)


def jac_div(w, x):
    return elementwise(1.0 / x, -w / x**2)


def jac_max(w, x):
    return elementwise(step(w - x), step(x - w))


def jac_relu(x):
    return np.diag(step(x))


def jac_scalar_add(x, z):
    return np.eye(len(x)), np.ones(len(x))


def jac_scalar_mul(x, z):
    return np.diag(np.full(len(x), float(z))), np.asarray(x, dtype=float).copy()


def grad_sum(x):
    return np.ones(len(x))


def grad_sum_xz(x, z):
    return np.repeat(float(z), len(x)), math.fsum(x)


def grad_dot(w, x):
    return np.copy(x).astype(float), np.copy(w).astype(float)


def vector_chain(J_f, J_g):
    return np.matmul(J_f, J_g)


def pre_activation(w, b, x):
    return float(np.dot(w, x)) + b


def neuron(w, b, x):
    return float(relu(pre_activation(w, b, x)))


def neuron_grad(w, b, x):
    h = float(step(pre_activation(w, b, x)))
    return h * np.asarray(x, dtype=float), h


def layer_forward(W, b_vec, a_prev):
    return relu(W.dot(a_prev) + b_vec)


def layer_jacobian(W, b_vec, a_prev):
    return step(W.dot(a_prev) + b_vec)[:, None] * W


def residuals(w, b, X, y):
    z = X.dot(w) + b
    return z, relu(z) - y


def mse_loss(w, b, X, y):
    _, r = residuals(w, b, X, y)
    return float(r.dot(r) / len(y))


def loss_gradient(w, b, X, y, factor):
    z, _ = residuals(w, b, X, y)
    e = (z - y) * step(z)
    return factor * X.T.dot(e) / len(y), factor * float(e.sum()) / len(y)


def mse_grad(w, b, X, y):
    return loss_gradient(w, b, X, y, 2.0)


def mse_grad_half(w, b, X, y):
    return loss_gradient(w, b, X, y, 1.0)


def gd_step(w, b, X, y, lr):
    gw, gb = mse_grad(w, b, X, y)
    return w - lr * gw, b - lr * gb


def num_minibatches(m, batch_size):
    q, r = divmod(int(m), int(batch_size))
    return q + (r > 0)


def batches(X, y, size):
    for start in range(0, len(y), size):
        yield X[start:start + size], y[start:start + size]


def sgd_epoch(w, b, X, y, lr, batch_size):
    w = np.array(w, dtype=float)
    for Xb, yb in batches(X, y, batch_size):
        w, b = gd_step(w, b, Xb, yb, lr)
    return w, b


def sigmoid_prime(z):
    return dsigmoid(z)


def delta_output(z_L, y):
    return (sigmoid(z_L) - y) * dsigmoid(z_L)


def delta_hidden(W_next, delta_next, z):
    return W_next.T.dot(delta_next) * dsigmoid(z)


def layer_grads(delta, a_prev):
    return np.outer(delta, a_prev), np.array(delta, dtype=float)


def forward(Ws, bs, x):
    zs, acts = [], [np.asarray(x, dtype=float)]
    for W, b in zip(Ws, bs):
        zs.append(W.dot(acts[-1]) + b)
        acts.append(sigmoid(zs[-1]))
    return zs, acts


def backprop(Ws, bs, x, y):
    zs, acts = forward(Ws, bs, x)
    delta = delta_output(zs[-1], y)
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in reversed(range(len(Ws))):
        dWs[l], dbs[l] = layer_grads(delta, acts[l])
        if l:
            delta = delta_hidden(Ws[l], delta, zs[l - 1])
    return dWs, dbs


def backprop_batch(Ws, bs, X, Y):
    per_example = [backprop(Ws, bs, x, y) for x, y in zip(X, Y)]
    dWs = [sum(g[0][l] for g in per_example) / len(X) for l in range(len(Ws))]
    dbs = [sum(g[1][l] for g in per_example) / len(X) for l in range(len(Ws))]
    return dWs, dbs
