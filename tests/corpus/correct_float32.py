"""Corpus: a correct submission computed in single precision.

Every input is cast to np.float32 first, every operation runs in float32 and the results come
back as float32 arrays and scalars.  K14: the grader must accept this wherever float32
rounding allows it (the tolerance grows with eps(float32) and the error scale).
"""

import numpy as np

f32 = np.float32


def _v(a):
    return np.asarray(a, dtype=np.float32)


# ---- scalar ---------------------------------------------------------------------------------


def d_ln_x2(x):
    x = f32(x)
    return f32(2) / x


def d_sin_x2(x):
    x = f32(x)
    return f32(2) * x * np.cos(x * x)


def d_ln_sin_x3_sq(x):
    x = f32(x)
    u1 = x**3
    return f32(6) * x * x * np.cos(u1) / np.sin(u1)


def d_x_plus_x2(x):
    x = f32(x)
    return f32(1) + f32(2) * x


def d_sin_x_plus_x2(x):
    x = f32(x)
    return np.cos(x + x * x) * (f32(1) + f32(2) * x)


def d_x_times_x2(x):
    x = f32(x)
    return f32(3) * x * x


# ---- jacobians ----------------------------------------------------------------------------


def grad_3x2y(x, y):
    x, y = f32(x), f32(y)
    return np.array([6 * x * y, 3 * x * x], dtype=np.float32)


def grad_x2_cos_y(x, y):
    x, y = f32(x), f32(y)
    return np.array([2 * x, -np.sin(y)], dtype=np.float32)


def jacobian_3x2y_2x_y8(x, y):
    x, y = f32(x), f32(y)
    return np.array([[6 * x * y, 3 * x * x], [2, 8 * y**7]], dtype=np.float32)


def jacobian_2x_y3(x, y):
    x, y = f32(x), f32(y)
    return np.array([[2, 3 * y * y], [-13, np.exp(y)]], dtype=np.float32)


def jacobian_sin_ln(x, y):
    x, y = f32(x), f32(y)
    c = np.cos(x * x + y)
    return np.array([[2 * x * c, c], [0, 3 / y]], dtype=np.float32)


def jacobian_identity(x):
    return np.eye(len(x), dtype=np.float32)


def d_ln_x2_sin_3x(x):
    x = f32(x)
    return np.array([2 / x, 3 * np.cos(3 * x)], dtype=np.float32)


# ---- elementwise ----------------------------------------------------------------------------


def jac_add(w, x):
    n = len(w)
    return np.eye(n, dtype=np.float32), np.eye(n, dtype=np.float32)


def jac_sub(w, x):
    n = len(w)
    return np.eye(n, dtype=np.float32), -np.eye(n, dtype=np.float32)


def jac_mul(w, x):
    w, x = _v(w), _v(x)
    return np.diag(x), np.diag(w)


def jac_div(w, x):
    w, x = _v(w), _v(x)
    return np.diag(f32(1) / x), np.diag(-w / (x * x))


def jac_max(w, x):
    w, x = _v(w), _v(x)
    return np.diag((w > x).astype(np.float32)), np.diag((x > w).astype(np.float32))


def jac_relu(x):
    x = _v(x)
    return np.diag((x > 0).astype(np.float32))


def jac_scalar_add(x, z):
    n = len(x)
    return np.eye(n, dtype=np.float32), np.ones(n, dtype=np.float32)


def jac_scalar_mul(x, z):
    x = _v(x)
    return f32(z) * np.eye(len(x), dtype=np.float32), x


# ---- reductions -----------------------------------------------------------------------------


def grad_sum(x):
    return np.ones(len(x), dtype=np.float32)


def grad_sum_xz(x, z):
    x = _v(x)
    return np.full(len(x), f32(z), dtype=np.float32), np.sum(x)


def grad_dot(w, x):
    return _v(x), _v(w)


def vector_chain(J_f, J_g):
    return _v(J_f) @ _v(J_g)


# ---- neuron ---------------------------------------------------------------------------------


def neuron(w, b, x):
    z = _v(w) @ _v(x) + f32(b)
    return np.maximum(f32(0), z)


def neuron_grad(w, b, x):
    x = _v(x)
    h = f32(1) if _v(w) @ x + f32(b) > 0 else f32(0)
    return h * x, h


def layer_forward(W, b_vec, a_prev):
    return np.maximum(f32(0), _v(W) @ _v(a_prev) + _v(b_vec))


def layer_jacobian(W, b_vec, a_prev):
    W = _v(W)
    z = W @ _v(a_prev) + _v(b_vec)
    return (z > 0).astype(np.float32)[:, None] * W


# ---- loss -----------------------------------------------------------------------------------


def mse_loss(w, b, X, y):
    a = np.maximum(f32(0), _v(X) @ _v(w) + f32(b))
    return np.mean((_v(y) - a) ** 2)


def mse_grad(w, b, X, y):
    X = _v(X)
    z = X @ _v(w) + f32(b)
    e = np.where(z > 0, z - _v(y), f32(0))
    N = f32(len(e))
    return f32(2) / N * (e @ X), f32(2) / N * np.sum(e)


def mse_grad_half(w, b, X, y):
    dw, db = mse_grad(w, b, X, y)
    return dw / f32(2), db / f32(2)


def gd_step(w, b, X, y, lr):
    dw, db = mse_grad(w, b, X, y)
    return _v(w) - f32(lr) * dw, f32(b) - f32(lr) * db


def num_minibatches(m, batch_size):
    return f32(-(-m // batch_size))  # an integral float is accepted (K13)


def sgd_epoch(w, b, X, y, lr, batch_size):
    w, b = _v(w), f32(b)
    for k in range(0, len(X), batch_size):
        w, b = gd_step(w, b, X[k:k + batch_size], y[k:k + batch_size], lr)
    return w, b


# ---- backprop -------------------------------------------------------------------------------


def _sigmoid(z):
    return f32(1) / (f32(1) + np.exp(-_v(z)))


def sigmoid_prime(z):
    s = _sigmoid(z)
    return s * (f32(1) - s)


def delta_output(z_L, y):
    return (_sigmoid(z_L) - _v(y)) * sigmoid_prime(z_L)


def delta_hidden(W_next, delta_next, z):
    return (_v(W_next).T @ _v(delta_next)) * sigmoid_prime(z)


def layer_grads(delta, a_prev):
    delta = _v(delta)
    return np.outer(delta, _v(a_prev)), delta


def backprop(Ws, bs, x, y):
    Ws = [_v(W) for W in Ws]
    activations, zs = [_v(x)], []
    for W, b in zip(Ws, bs, strict=False):
        zs.append(W @ activations[-1] + _v(b))
        activations.append(_sigmoid(zs[-1]))
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    delta = delta_output(zs[-1], y)
    for layer in range(len(Ws) - 1, -1, -1):
        dWs[layer], dbs[layer] = layer_grads(delta, activations[layer])
        if layer > 0:
            delta = delta_hidden(Ws[layer], delta, zs[layer - 1])
    return dWs, dbs


def backprop_batch(Ws, bs, X, Y):
    sums_W = [np.zeros(W.shape, dtype=np.float32) for W in Ws]
    sums_b = [np.zeros(b.shape, dtype=np.float32) for b in bs]
    for x, y in zip(X, Y, strict=False):
        dWs, dbs = backprop(Ws, bs, x, y)
        for layer in range(len(Ws)):
            sums_W[layer] += dWs[layer]
            sums_b[layer] += dbs[layer]
    B = f32(len(X))
    return [t / B for t in sums_W], [t / B for t in sums_b]
