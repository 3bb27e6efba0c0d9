"""Corpus: a correct submission written with explicit loops over indices.

A student new to numpy: every array is allocated with np.zeros and filled entry by entry,
every sum and product is a loop, scalar derivatives follow P&H's four-step chain rule with
named intermediates.  At the ReLU kink jac_relu uses H(0) = 1/2 (K3: any subgradient).
"""

import math

import numpy as np

# ---- scalar: the four steps of P&H §4.5.1, one intermediate at a time -------------------


def d_ln_x2(x):
    u = x * x
    dy_du = 1 / u
    du_dx = 2 * x
    return dy_du * du_dx


def d_sin_x2(x):
    u = x * x
    return math.cos(u) * (2 * x)


def d_ln_sin_x3_sq(x):
    u1 = x * x * x
    u2 = math.sin(u1)
    u3 = u2 * u2
    du1 = 3 * x * x
    du2 = math.cos(u1)
    du3 = 2 * u2
    du4 = 1 / u3
    return du4 * du3 * du2 * du1


def d_x_plus_x2(x):
    du1_dx = 2 * x  # u1 = x^2
    du2_dx = 1.0  # the direct path of u2 = x + u1
    du2_du1 = 1.0
    return du2_dx + du2_du1 * du1_dx


def d_sin_x_plus_x2(x):
    u1 = x + x * x
    du1_dx = 1 + 2 * x
    return math.cos(u1) * du1_dx


def d_x_times_x2(x):
    u1 = x * x
    du2_dx = u1  # u2 = x * u1, partial in x
    du2_du1 = x
    du1_dx = 2 * x
    return du2_dx + du2_du1 * du1_dx


# ---- jacobians ----------------------------------------------------------------------------


def grad_3x2y(x, y):
    g = np.zeros(2)
    g[0] = 6 * x * y
    g[1] = 3 * x * x
    return g


def grad_x2_cos_y(x, y):
    g = np.zeros(2)
    g[0] = 2 * x
    g[1] = -math.sin(y)
    return g


def jacobian_3x2y_2x_y8(x, y):
    y7 = 1.0
    for _ in range(7):
        y7 = y7 * y
    J = np.zeros((2, 2))
    J[0, 0] = 6 * x * y
    J[0, 1] = 3 * x * x
    J[1, 0] = 2.0
    J[1, 1] = 8 * y7
    return J


def jacobian_2x_y3(x, y):
    J = np.zeros((2, 2))
    J[0, 0] = 2.0
    J[0, 1] = 3 * y * y
    J[1, 0] = -13.0
    J[1, 1] = math.exp(y)
    return J


def jacobian_sin_ln(x, y):
    g1 = x * x + y
    g2 = y * y * y
    dF_dg = [[math.cos(g1), 0.0], [0.0, 1 / g2]]
    dg_dxy = [[2 * x, 1.0], [0.0, 3 * y * y]]
    J = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            for k in range(2):
                J[i, j] += dF_dg[i][k] * dg_dxy[k][j]
    return J


def jacobian_identity(x):
    n = len(x)
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i == j:
                J[i, j] = 1.0
    return J


def d_ln_x2_sin_3x(x):
    g = [x * x, 3 * x]
    outer = [1 / g[0], math.cos(g[1])]
    inner = [2 * x, 3.0]
    d = np.zeros(2)
    for i in range(2):
        d[i] = outer[i] * inner[i]
    return d


# ---- elementwise ----------------------------------------------------------------------------


def jac_add(w, x):
    n = len(w)
    Jw = np.zeros((n, n))
    Jx = np.zeros((n, n))
    for i in range(n):
        Jw[i, i] = 1.0
        Jx[i, i] = 1.0
    return Jw, Jx


def jac_sub(w, x):
    n = len(w)
    Jw = np.zeros((n, n))
    Jx = np.zeros((n, n))
    for i in range(n):
        Jw[i, i] = 1.0
        Jx[i, i] = -1.0
    return Jw, Jx


def jac_mul(w, x):
    n = len(w)
    Jw = np.zeros((n, n))
    Jx = np.zeros((n, n))
    for i in range(n):
        Jw[i, i] = x[i]
        Jx[i, i] = w[i]
    return Jw, Jx


def jac_div(w, x):
    n = len(w)
    Jw = np.zeros((n, n))
    Jx = np.zeros((n, n))
    for i in range(n):
        Jw[i, i] = 1 / x[i]
        Jx[i, i] = -w[i] / (x[i] * x[i])
    return Jw, Jx


def jac_max(w, x):
    n = len(w)
    Jw = np.zeros((n, n))
    Jx = np.zeros((n, n))
    for i in range(n):
        if w[i] > x[i]:
            Jw[i, i] = 1.0
        else:
            Jx[i, i] = 1.0
    return Jw, Jx


def jac_relu(x):
    n = len(x)
    J = np.zeros((n, n))
    for i in range(n):
        if x[i] > 0:
            J[i, i] = 1.0
        elif x[i] == 0:
            J[i, i] = 0.5  # a subgradient: any value in [0, 1] is right at the kink
    return J


def jac_scalar_add(x, z):
    n = len(x)
    Jx = np.zeros((n, n))
    Jz = np.zeros(n)
    for i in range(n):
        Jx[i, i] = 1.0
        Jz[i] = 1.0
    return Jx, Jz


def jac_scalar_mul(x, z):
    n = len(x)
    Jx = np.zeros((n, n))
    Jz = np.zeros(n)
    for i in range(n):
        Jx[i, i] = z
        Jz[i] = x[i]
    return Jx, Jz


# ---- reductions -----------------------------------------------------------------------------


def grad_sum(x):
    g = np.zeros(len(x))
    for i in range(len(x)):
        g[i] = 1.0
    return g


def grad_sum_xz(x, z):
    g = np.zeros(len(x))
    total = 0.0
    for i in range(len(x)):
        g[i] = z
        total += x[i]
    return g, total


def grad_dot(w, x):
    n = len(w)
    dw = np.zeros(n)
    dx = np.zeros(n)
    for i in range(n):
        dw[i] = x[i]
        dx[i] = w[i]
    return dw, dx


def vector_chain(J_f, J_g):
    m, k = J_f.shape
    n = J_g.shape[1]
    J = np.zeros((m, n))
    for i in range(m):
        for j in range(n):
            for p in range(k):
                J[i, j] += J_f[i, p] * J_g[p, j]
    return J


# ---- neuron ---------------------------------------------------------------------------------


def _dot(u, v):
    total = 0.0
    for i in range(len(u)):
        total += u[i] * v[i]
    return total


def neuron(w, b, x):
    z = _dot(w, x) + b
    if z > 0:
        return z
    return 0.0


def neuron_grad(w, b, x):
    z = _dot(w, x) + b
    dw = np.zeros(len(w))
    db = 0.0
    if z > 0:
        for i in range(len(w)):
            dw[i] = x[i]
        db = 1.0
    return dw, db


def layer_forward(W, b_vec, a_prev):
    n_out, n_in = W.shape
    a = np.zeros(n_out)
    for j in range(n_out):
        z = b_vec[j]
        for k in range(n_in):
            z += W[j, k] * a_prev[k]
        if z > 0:
            a[j] = z
    return a


def layer_jacobian(W, b_vec, a_prev):
    n_out, n_in = W.shape
    J = np.zeros((n_out, n_in))
    for j in range(n_out):
        z = b_vec[j]
        for k in range(n_in):
            z += W[j, k] * a_prev[k]
        if z > 0:
            for k in range(n_in):
                J[j, k] = W[j, k]
    return J


# ---- loss -----------------------------------------------------------------------------------


def mse_loss(w, b, X, y):
    N = X.shape[0]
    total = 0.0
    for i in range(N):
        a = neuron(w, b, X[i])
        total += (y[i] - a) ** 2
    return total / N


def mse_grad(w, b, X, y):
    N, n = X.shape
    dw = np.zeros(n)
    db = 0.0
    for i in range(N):
        z = _dot(w, X[i]) + b
        if z > 0:
            e = z - y[i]
            for j in range(n):
                dw[j] += 2 * e * X[i, j] / N
            db += 2 * e / N
    return dw, db


def mse_grad_half(w, b, X, y):
    N, n = X.shape
    dw = np.zeros(n)
    db = 0.0
    for i in range(N):
        z = _dot(w, X[i]) + b
        if z > 0:
            e = z - y[i]
            for j in range(n):
                dw[j] += e * X[i, j] / N
            db += e / N
    return dw, db


def gd_step(w, b, X, y, lr):
    dw, db = mse_grad(w, b, X, y)
    new_w = np.zeros(len(w))
    for j in range(len(w)):
        new_w[j] = w[j] - lr * dw[j]
    return new_w, b - lr * db


def num_minibatches(m, batch_size):
    count = m // batch_size
    if count * batch_size < m:
        count += 1
    return count


def sgd_epoch(w, b, X, y, lr, batch_size):
    N = X.shape[0]
    start = 0
    while start < N:
        stop = min(start + batch_size, N)
        w, b = gd_step(w, b, X[start:stop], y[start:stop], lr)
        start = stop
    return w, b


# ---- backprop -------------------------------------------------------------------------------


def _sigmoid(t):
    return 1 / (1 + math.exp(-t))


def sigmoid_prime(z):
    out = np.zeros(len(z))
    for i in range(len(z)):
        s = _sigmoid(z[i])
        out[i] = s * (1 - s)
    return out


def delta_output(z_L, y):
    d = np.zeros(len(z_L))
    for j in range(len(z_L)):
        s = _sigmoid(z_L[j])
        d[j] = (s - y[j]) * s * (1 - s)
    return d


def delta_hidden(W_next, delta_next, z):
    n_next, n = W_next.shape
    d = np.zeros(n)
    for k in range(n):
        total = 0.0
        for j in range(n_next):
            total += W_next[j, k] * delta_next[j]
        s = _sigmoid(z[k])
        d[k] = total * s * (1 - s)
    return d


def layer_grads(delta, a_prev):
    dW = np.zeros((len(delta), len(a_prev)))
    db = np.zeros(len(delta))
    for j in range(len(delta)):
        db[j] = delta[j]
        for k in range(len(a_prev)):
            dW[j, k] = delta[j] * a_prev[k]
    return dW, db


def backprop(Ws, bs, x, y):
    L = len(Ws)
    activations = [x]
    zs = []
    for layer in range(L):
        W, b = Ws[layer], bs[layer]
        z = np.zeros(W.shape[0])
        a = np.zeros(W.shape[0])
        for j in range(W.shape[0]):
            z[j] = b[j]
            for k in range(W.shape[1]):
                z[j] += W[j, k] * activations[-1][k]
            a[j] = _sigmoid(z[j])
        zs.append(z)
        activations.append(a)
    dWs = [None] * L
    dbs = [None] * L
    delta = delta_output(zs[-1], y)
    for layer in range(L - 1, -1, -1):
        dWs[layer], dbs[layer] = layer_grads(delta, activations[layer])
        if layer > 0:
            delta = delta_hidden(Ws[layer], delta, zs[layer - 1])
    return dWs, dbs


def backprop_batch(Ws, bs, X, Y):
    B = X.shape[0]
    dWs = [np.zeros(W.shape) for W in Ws]
    dbs = [np.zeros(b.shape) for b in bs]
    for i in range(B):
        gW, gb = backprop(Ws, bs, X[i], Y[i])
        for layer in range(len(Ws)):
            dWs[layer] += gW[layer] / B
            dbs[layer] += gb[layer] / B
    return dWs, dbs
