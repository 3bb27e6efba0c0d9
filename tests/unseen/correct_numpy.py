# Homework 1 - matrix calculus (numpy, vectorised)
import numpy as np


def d_ln_x2(x):
    return 2 / x


def d_sin_x2(x):
    return 2 * x * np.cos(x**2)


def d_ln_sin_x3_sq(x):
    return 6 * x**2 * np.cos(x**3) / np.sin(x**3)


def d_x_plus_x2(x):
    return 1 + 2 * x


def d_sin_x_plus_x2(x):
    return np.cos(x + x**2) * (1 + 2 * x)


def d_x_times_x2(x):
    return 3 * x**2


def grad_3x2y(x, y):
    return np.array([6 * x * y, 3 * x**2])


def grad_x2_cos_y(x, y):
    return np.array([2 * x, -np.sin(y)])


def jacobian_3x2y_2x_y8(x, y):
    return np.array([[6 * x * y, 3 * x**2], [2.0, 8 * y**7]])


def jacobian_2x_y3(x, y):
    return np.array([[2.0, 3 * y**2], [-13.0, np.exp(y)]])


def jacobian_sin_ln(x, y):
    c = np.cos(x**2 + y)
    return np.array([[2 * x * c, c], [0.0, 3 / y]])


def jacobian_identity(x):
    return np.eye(len(x))


def d_ln_x2_sin_3x(x):
    return np.array([2 / x, 3 * np.cos(3 * x)])


def jac_add(w, x):
    n = len(w)
    return np.eye(n), np.eye(n)


def jac_sub(w, x):
    n = len(w)
    return np.eye(n), -np.eye(n)


def jac_mul(w, x):
    return np.diag(x), np.diag(w)


def jac_div(w, x):
    return np.diag(1 / x), np.diag(-w / x**2)


def jac_max(w, x):
    return np.diag((w > x).astype(float)), np.diag((x > w).astype(float))


def jac_relu(x):
    return np.diag((x > 0).astype(float))


def jac_scalar_add(x, z):
    return np.eye(len(x)), np.ones(len(x))


def jac_scalar_mul(x, z):
    return z * np.eye(len(x)), np.array(x, dtype=float)


def grad_sum(x):
    return np.ones_like(x, dtype=float)


def grad_sum_xz(x, z):
    return z * np.ones(len(x)), float(np.sum(x))


def grad_dot(w, x):
    return np.array(x, dtype=float), np.array(w, dtype=float)


def vector_chain(J_f, J_g):
    return J_f @ J_g


def neuron(w, b, x):
    return float(max(0.0, w @ x + b))


def neuron_grad(w, b, x):
    active = float(w @ x + b > 0)
    return active * x, active


def layer_forward(W, b_vec, a_prev):
    return np.maximum(0, W @ a_prev + b_vec)


def layer_jacobian(W, b_vec, a_prev):
    z = W @ a_prev + b_vec
    return np.diag((z > 0).astype(float)) @ W


def mse_loss(w, b, X, y):
    a = np.maximum(0, X @ w + b)
    return float(np.mean((y - a) ** 2))


def mse_grad(w, b, X, y):
    z = X @ w + b
    e = (z - y) * (z > 0)
    N = len(y)
    return 2 / N * X.T @ e, 2 / N * e.sum()


def mse_grad_half(w, b, X, y):
    gw, gb = mse_grad(w, b, X, y)
    return gw / 2, gb / 2


def gd_step(w, b, X, y, lr):
    gw, gb = mse_grad(w, b, X, y)
    return w - lr * gw, b - lr * gb


def num_minibatches(m, batch_size):
    return (m + batch_size - 1) // batch_size


def sgd_epoch(w, b, X, y, lr, batch_size):
    for k in range(0, len(X), batch_size):
        w, b = gd_step(w, b, X[k:k + batch_size], y[k:k + batch_size], lr)
    return w, b


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def delta_output(z_L, y):
    return (sigmoid(z_L) - y) * sigmoid_prime(z_L)


def delta_hidden(W_next, delta_next, z):
    return (W_next.T @ delta_next) * sigmoid_prime(z)


def layer_grads(delta, a_prev):
    return np.outer(delta, a_prev), np.array(delta, dtype=float)


def backprop(Ws, bs, x, y):
    activations = [x]
    zs = []
    for W, b in zip(Ws, bs):
        zs.append(W @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    delta = delta_output(zs[-1], y)
    dWs, dbs = [], []
    for l in range(len(Ws) - 1, -1, -1):
        dW, db = layer_grads(delta, activations[l])
        dWs.insert(0, dW)
        dbs.insert(0, db)
        if l > 0:
            delta = delta_hidden(Ws[l], delta, zs[l - 1])
    return dWs, dbs


def backprop_batch(Ws, bs, X, Y):
    dWs = [np.zeros_like(W, dtype=float) for W in Ws]
    dbs = [np.zeros_like(b, dtype=float) for b in bs]
    for x, y in zip(X, Y):
        gW, gb = backprop(Ws, bs, x, y)
        for l in range(len(Ws)):
            dWs[l] += gW[l] / len(X)
            dbs[l] += gb[l] / len(X)
    return dWs, dbs
