# one-liners: lambdas, np.where, np.maximum, np.heaviside, einsum
import numpy as np

d_ln_x2 = lambda x: 2 * x**-1
d_sin_x2 = lambda x: np.cos(x * x) * x * 2
d_ln_sin_x3_sq = lambda x: 6 * x * x / np.tan(x**3)
d_x_plus_x2 = lambda x: 2 * x + 1
d_sin_x_plus_x2 = lambda x: (2 * x + 1) * np.cos(x * (1 + x))
d_x_times_x2 = lambda x: x * x * 3
grad_3x2y = lambda x, y: 3 * x * np.array([2 * y, x])
grad_x2_cos_y = lambda x, y: np.array([x + x, np.sin(-y)])
jacobian_3x2y_2x_y8 = lambda x, y: np.array([[6 * x * y, 3 * x * x], [2, 8 * y**7]], dtype=float)
jacobian_2x_y3 = lambda x, y: np.array([[2, 3 * y * y], [-13, np.exp(y)]], dtype=float)
jacobian_sin_ln = lambda x, y: np.cos(x * x + y) * np.array([[2 * x, 1.0], [0.0, 0.0]]) + np.array([[0, 0], [0, 3 / y]])
jacobian_identity = lambda x: np.identity(np.size(x))
d_ln_x2_sin_3x = lambda x: np.array([2 / x, 3 * np.cos(3 * x)])
jac_add = lambda w, x: (np.eye(w.size),) * 2
jac_sub = lambda w, x: (np.eye(w.size), -np.eye(x.size))
jac_mul = lambda w, x: (np.diagflat(x), np.diagflat(w))
jac_div = lambda w, x: (np.diagflat(np.reciprocal(x.astype(float))), np.diagflat(-w / (x * x)))
jac_max = lambda w, x: (np.diag(np.where(w > x, 1.0, 0.0)), np.diag(np.where(w > x, 0.0, 1.0)))
jac_relu = lambda x: np.diag(np.heaviside(x, 0.0))
jac_scalar_add = lambda x, z: (np.eye(len(x)), np.ones(len(x)))
jac_scalar_mul = lambda x, z: (np.eye(len(x)) * z, x * 1.0)
grad_sum = lambda x: np.ones(np.shape(x))
grad_sum_xz = lambda x, z: (np.full(len(x), float(z)), float(np.sum(x)))
grad_dot = lambda w, x: (x * 1.0, w * 1.0)
vector_chain = lambda J_f, J_g: np.einsum("ik,kj->ij", J_f, J_g)
neuron = lambda w, b, x: float(np.maximum(0, np.dot(w, x) + b))
neuron_grad = lambda w, b, x: (np.where(np.dot(w, x) + b > 0, x, 0.0), float(np.dot(w, x) + b > 0))
layer_forward = lambda W, b_vec, a_prev: np.clip(W @ a_prev + b_vec, 0, None)
layer_jacobian = lambda W, b_vec, a_prev: np.where((W @ a_prev + b_vec > 0)[:, None], W, 0.0)
mse_loss = lambda w, b, X, y: float(np.mean(np.square(y - np.maximum(X @ w + b, 0))))
mse_grad = lambda w, b, X, y: (2 * np.mean(((X @ w + b - y) * (X @ w + b > 0))[:, None] * X, axis=0),
                                2 * float(np.mean((X @ w + b - y) * (X @ w + b > 0))))
mse_grad_half = lambda w, b, X, y: tuple(g / 2 for g in mse_grad(w, b, X, y))
gd_step = lambda w, b, X, y, lr: (w - lr * mse_grad(w, b, X, y)[0], b - lr * mse_grad(w, b, X, y)[1])
num_minibatches = lambda m, batch_size: -(-m // batch_size)


def sgd_epoch(w, b, X, y, lr, batch_size):
    for X_b, y_b in zip(np.array_split(X, range(batch_size, len(X), batch_size)),
                        np.array_split(y, range(batch_size, len(y), batch_size))):
        w, b = gd_step(w, b, X_b, y_b, lr)
    return w, b


sigma = lambda z: 0.5 * (1 + np.tanh(np.asarray(z) / 2))
sigmoid_prime = lambda z: sigma(z) * sigma(-np.asarray(z))
delta_output = lambda z_L, y: (sigma(z_L) - y) * sigmoid_prime(z_L)
delta_hidden = lambda W_next, delta_next, z: W_next.T.dot(delta_next) * sigmoid_prime(z)
layer_grads = lambda delta, a_prev: (delta[:, None] * a_prev[None, :], delta * 1.0)


def backprop(Ws, bs, x, y):
    a, zs = [x], []
    for W, b in zip(Ws, bs):
        zs.append(W @ a[-1] + b)
        a.append(sigma(zs[-1]))
    d = delta_output(zs[-1], y)
    grads = []
    for l in range(len(Ws), 0, -1):
        grads.append(layer_grads(d, a[l - 1]))
        d = delta_hidden(Ws[l - 1], d, zs[l - 2]) if l > 1 else d
    grads.reverse()
    return [g[0] for g in grads], [g[1] for g in grads]


backprop_batch = lambda Ws, bs, X, Y: tuple(
    [np.mean(np.stack(parts), axis=0) for parts in zip(*results)]
    for results in zip(*[backprop(Ws, bs, x, y) for x, y in zip(X, Y)]))
