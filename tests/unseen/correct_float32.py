# everything in float32 to save memory (our TA said float32 is fine, K14).
# The ReLU mask is taken on the float64 pre-activation: rounding z to float32 could flip its sign.
import numpy as np

f32 = np.float32


def d_ln_x2(x):
    return f32(2) / f32(x)


def d_sin_x2(x):
    x = f32(x)
    return f32(2) * x * np.cos(x * x)


def d_ln_sin_x3_sq(x):
    x = np.float64(x)  # cot(x^3) is ill-conditioned: x^3 in float64, the rest in float32
    c = f32(np.cos(x**3)) / f32(np.sin(x**3))
    return f32(6) * f32(x) * f32(x) * c


def d_x_plus_x2(x):
    return f32(1) + f32(2) * f32(x)


def d_sin_x_plus_x2(x):
    x = np.float64(x)
    return f32(np.cos(x + x * x)) * (f32(1) + f32(2) * f32(x))


def d_x_times_x2(x):
    return f32(3) * f32(x) * f32(x)


def grad_3x2y(x, y):
    x, y = f32(x), f32(y)
    return np.array([6 * x * y, 3 * x * x], dtype=f32)


def grad_x2_cos_y(x, y):
    return np.array([2 * f32(x), -np.sin(f32(y))], dtype=f32)


def jacobian_3x2y_2x_y8(x, y):
    x, y = f32(x), f32(y)
    return np.array([[6 * x * y, 3 * x * x], [2, 8 * y**7]], dtype=f32)


def jacobian_2x_y3(x, y):
    y = f32(y)
    return np.array([[2, 3 * y * y], [-13, np.exp(y)]], dtype=f32)


def jacobian_sin_ln(x, y):
    c = f32(np.cos(np.float64(x) ** 2 + y))
    return np.array([[2 * f32(x) * c, c], [0, 3 / f32(y)]], dtype=f32)


def jacobian_identity(x):
    return np.eye(len(x), dtype=f32)


def d_ln_x2_sin_3x(x):
    return np.array([2 / f32(x), 3 * np.cos(3 * np.float64(x))], dtype=f32)


def jac_add(w, x):
    return np.eye(len(w), dtype=f32), np.eye(len(w), dtype=f32)


def jac_sub(w, x):
    return np.eye(len(w), dtype=f32), -np.eye(len(w), dtype=f32)


def jac_mul(w, x):
    return np.diag(x.astype(f32)), np.diag(w.astype(f32))


def jac_div(w, x):
    w, x = w.astype(f32), x.astype(f32)
    return np.diag(1 / x), np.diag(-w / (x * x))


def jac_max(w, x):
    return np.diag((w > x).astype(f32)), np.diag((x > w).astype(f32))


def jac_relu(x):
    return np.diag((x > 0).astype(f32))


def jac_scalar_add(x, z):
    return np.eye(len(x), dtype=f32), np.ones(len(x), dtype=f32)


def jac_scalar_mul(x, z):
    return f32(z) * np.eye(len(x), dtype=f32), x.astype(f32)


def grad_sum(x):
    return np.ones(len(x), dtype=f32)


def grad_sum_xz(x, z):
    return np.full(len(x), z, dtype=f32), np.sum(x.astype(f32))


def grad_dot(w, x):
    return x.astype(f32), w.astype(f32)


def vector_chain(J_f, J_g):
    return J_f.astype(f32) @ J_g.astype(f32)


def neuron(w, b, x):
    z = w @ x + b
    return f32(z) if z > 0 else f32(0)


def neuron_grad(w, b, x):
    h = f32(w @ x + b > 0)
    return h * x.astype(f32), h


def layer_forward(W, b_vec, a_prev):
    z = W @ a_prev + b_vec
    return np.where(z > 0, z.astype(f32), f32(0))


def layer_jacobian(W, b_vec, a_prev):
    mask = (W @ a_prev + b_vec > 0).astype(f32)
    return mask[:, None] * W.astype(f32)


def _active_error(w, b, X, y):
    z = X @ w + b
    return (z > 0), (z - y).astype(f32)


def mse_loss(w, b, X, y):
    z = X @ w + b
    r = (y - np.maximum(z, 0)).astype(f32)
    return np.mean(r * r)


def mse_grad(w, b, X, y):
    m, e = _active_error(w, b, X, y)
    e = e * m
    return f32(2) * (X.astype(f32).T @ e) / f32(len(y)), f32(2) * e.sum() / f32(len(y))


def mse_grad_half(w, b, X, y):
    m, e = _active_error(w, b, X, y)
    e = e * m
    return (X.astype(f32).T @ e) / f32(len(y)), e.sum() / f32(len(y))


def gd_step(w, b, X, y, lr):
    gw, gb = mse_grad(w, b, X, y)
    return w.astype(f32) - f32(lr) * gw, f32(b) - f32(lr) * gb


def num_minibatches(m, batch_size):
    return -(-int(m) // int(batch_size))  # counts stay integers: float32 would round 10 million


def sgd_epoch(w, b, X, y, lr, batch_size):
    # the steps are kept in float64 so that the mask of a later batch sees the true z
    w = np.asarray(w, dtype=np.float64)
    for k in range(0, len(y), batch_size):
        Xb, yb = X[k:k + batch_size], y[k:k + batch_size]
        z = Xb @ w + b
        e = (z - yb) * (z > 0)
        w = w - lr * 2 * (Xb.T @ e) / len(yb)
        b = b - lr * 2 * e.sum() / len(yb)
    return w.astype(f32), f32(b)


def sigmoid_prime(z):
    s = 1 / (1 + np.exp(-np.asarray(z, dtype=f32)))
    e = np.exp(-np.abs(np.asarray(z, dtype=f32)))
    return e / (1 + e) ** 2  # = s (1 - s), no cancellation when saturated


def _sig(z):
    return (1 / (1 + np.exp(-np.asarray(z, dtype=f32)))).astype(f32)


def delta_output(z_L, y):
    return (_sig(z_L) - y.astype(f32)) * sigmoid_prime(z_L)


def delta_hidden(W_next, delta_next, z):
    return (W_next.astype(f32).T @ delta_next.astype(f32)) * sigmoid_prime(z)


def layer_grads(delta, a_prev):
    return np.outer(delta.astype(f32), a_prev.astype(f32)), delta.astype(f32)


def backprop(Ws, bs, x, y):
    acts, zs = [np.asarray(x, dtype=f32)], []
    for W, b in zip(Ws, bs):
        zs.append(W.astype(f32) @ acts[-1] + b.astype(f32))
        acts.append(_sig(zs[-1]))
    d = delta_output(zs[-1], y)
    dWs, dbs = [], []
    for l in range(len(Ws) - 1, -1, -1):
        gW, gb = layer_grads(d, acts[l])
        dWs.insert(0, gW)
        dbs.insert(0, gb)
        if l:
            d = delta_hidden(Ws[l], d, zs[l - 1])
    return dWs, dbs


def backprop_batch(Ws, bs, X, Y):
    total_W = [np.zeros(W.shape, dtype=f32) for W in Ws]
    total_b = [np.zeros(b.shape, dtype=f32) for b in bs]
    for x, y in zip(X, Y):
        gW, gb = backprop(Ws, bs, x, y)
        total_W = [t + g for t, g in zip(total_W, gW)]
        total_b = [t + g for t, g in zip(total_b, gb)]
    return [t / f32(len(X)) for t in total_W], [t / f32(len(X)) for t in total_b]
