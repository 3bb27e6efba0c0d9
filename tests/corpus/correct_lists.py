"""Corpus: a correct submission in plain Python, no numpy at all.

The math module for the functions, list comprehensions for the arithmetic, and plain lists
(and lists of lists) as the returned values; pairs of results come back as two-element lists
in the contract's order (K10 fixes the order, not the container).
"""

import math


def _floats(v):
    return [float(t) for t in v]


def _rows(M):
    return [[float(t) for t in row] for row in M]


def _eye(n, value=1.0):
    return [[value if i == j else 0.0 for j in range(n)] for i in range(n)]


def _diag(values):
    n = len(values)
    return [[float(values[i]) if i == j else 0.0 for j in range(n)] for i in range(n)]


def _dot(u, v):
    return sum(a * b for a, b in zip(u, v, strict=False))


def _matvec(M, v):
    return [_dot(row, v) for row in M]


def _transpose(M):
    return [list(col) for col in zip(*M, strict=False)]


# ---- scalar ---------------------------------------------------------------------------------


def d_ln_x2(x):
    return 2.0 / x


def d_sin_x2(x):
    return 2.0 * x * math.cos(x**2)


def d_ln_sin_x3_sq(x):
    return 6.0 * x**2 * math.cos(x**3) / math.sin(x**3)


def d_x_plus_x2(x):
    return 1.0 + 2.0 * x


def d_sin_x_plus_x2(x):
    return math.cos(x + x**2) * (1.0 + 2.0 * x)


def d_x_times_x2(x):
    return 3.0 * x**2


# ---- jacobians --------------------------------------------------------------------------------


def grad_3x2y(x, y):
    return [6.0 * x * y, 3.0 * x**2]


def grad_x2_cos_y(x, y):
    return [2.0 * x, -math.sin(y)]


def jacobian_3x2y_2x_y8(x, y):
    return [[6.0 * x * y, 3.0 * x**2], [2.0, 8.0 * y**7]]


def jacobian_2x_y3(x, y):
    return [[2.0, 3.0 * y**2], [-13.0, math.exp(y)]]


def jacobian_sin_ln(x, y):
    c = math.cos(x**2 + y)
    return [[2.0 * x * c, c], [0.0, 3.0 / y]]


def jacobian_identity(x):
    return _eye(len(x))


def d_ln_x2_sin_3x(x):
    return [2.0 / x, 3.0 * math.cos(3.0 * x)]


# ---- elementwise --------------------------------------------------------------------------------


def jac_add(w, x):
    return [_eye(len(w)), _eye(len(x))]


def jac_sub(w, x):
    return [_eye(len(w)), _eye(len(x), -1.0)]


def jac_mul(w, x):
    return [_diag(x), _diag(w)]


def jac_div(w, x):
    w, x = _floats(w), _floats(x)
    return [_diag([1.0 / b for b in x]), _diag([-a / b**2 for a, b in zip(w, x, strict=False)])]


def jac_max(w, x):
    w, x = _floats(w), _floats(x)
    return [_diag([1.0 if a > b else 0.0 for a, b in zip(w, x, strict=False)]),
            _diag([1.0 if b > a else 0.0 for a, b in zip(w, x, strict=False)])]


def jac_relu(x):
    return _diag([1.0 if t > 0 else 0.0 for t in _floats(x)])


def jac_scalar_add(x, z):
    return [_eye(len(x)), [1.0] * len(x)]


def jac_scalar_mul(x, z):
    return [_eye(len(x), float(z)), _floats(x)]


# ---- reductions -----------------------------------------------------------------------------------


def grad_sum(x):
    return [1.0] * len(x)


def grad_sum_xz(x, z):
    return [[float(z)] * len(x), math.fsum(_floats(x))]


def grad_dot(w, x):
    return [_floats(x), _floats(w)]


def vector_chain(J_f, J_g):
    A, B = _rows(J_f), _rows(J_g)
    columns = _transpose(B)
    return [[_dot(row, col) for col in columns] for row in A]


# ---- neuron -----------------------------------------------------------------------------------------


def neuron(w, b, x):
    return max(0.0, _dot(_floats(w), _floats(x)) + b)


def neuron_grad(w, b, x):
    z = _dot(_floats(w), _floats(x)) + b
    h = 1.0 if z > 0 else 0.0
    return [[h * t for t in _floats(x)], h]


def layer_forward(W, b_vec, a_prev):
    z = [s + b for s, b in zip(_matvec(_rows(W), _floats(a_prev)), _floats(b_vec), strict=False)]
    return [max(0.0, t) for t in z]


def layer_jacobian(W, b_vec, a_prev):
    rows = _rows(W)
    z = [s + b for s, b in zip(_matvec(rows, _floats(a_prev)), _floats(b_vec), strict=False)]
    return [row if zj > 0 else [0.0] * len(row) for row, zj in zip(rows, z, strict=False)]


# ---- loss ---------------------------------------------------------------------------------------------


def mse_loss(w, b, X, y):
    w, X, y = _floats(w), _rows(X), _floats(y)
    return sum((t - max(0.0, _dot(w, row) + b)) ** 2 for row, t in zip(X, y, strict=False)) / len(y)


def _grad(w, b, X, y, factor):
    w, X, y = _floats(w), _rows(X), _floats(y)
    N = len(y)
    dw = [0.0] * len(w)
    db = 0.0
    for row, t in zip(X, y, strict=False):
        z = _dot(w, row) + b
        if z > 0:
            e = z - t
            dw = [g + factor * e * v / N for g, v in zip(dw, row, strict=False)]
            db += factor * e / N
    return [dw, db]


def mse_grad(w, b, X, y):
    return _grad(w, b, X, y, 2.0)


def mse_grad_half(w, b, X, y):
    return _grad(w, b, X, y, 1.0)


def gd_step(w, b, X, y, lr):
    dw, db = mse_grad(w, b, X, y)
    return [[v - lr * g for v, g in zip(_floats(w), dw, strict=False)], b - lr * db]


def num_minibatches(m, batch_size):
    return math.ceil(m / batch_size)


def sgd_epoch(w, b, X, y, lr, batch_size):
    X, y = _rows(X), _floats(y)
    for start in range(0, len(y), batch_size):
        w, b = gd_step(w, b, X[start:start + batch_size], y[start:start + batch_size], lr)
    return [w, b]


# ---- backprop -------------------------------------------------------------------------------------------


def _sigmoid(t):
    return 1.0 / (1.0 + math.exp(-t))


def sigmoid_prime(z):
    return [_sigmoid(t) * (1.0 - _sigmoid(t)) for t in _floats(z)]


def delta_output(z_L, y):
    return [(_sigmoid(t) - u) * _sigmoid(t) * (1.0 - _sigmoid(t))
            for t, u in zip(_floats(z_L), _floats(y), strict=False)]


def delta_hidden(W_next, delta_next, z):
    back = _matvec(_transpose(_rows(W_next)), _floats(delta_next))
    return [g * s for g, s in zip(back, sigmoid_prime(z), strict=False)]


def layer_grads(delta, a_prev):
    delta, a_prev = _floats(delta), _floats(a_prev)
    return [[[d * a for a in a_prev] for d in delta], delta]


def backprop(Ws, bs, x, y):
    Ws = [_rows(W) for W in Ws]
    bs = [_floats(b) for b in bs]
    activations, zs = [_floats(x)], []
    for W, b in zip(Ws, bs, strict=False):
        z = [s + c for s, c in zip(_matvec(W, activations[-1]), b, strict=False)]
        zs.append(z)
        activations.append([_sigmoid(t) for t in z])
    L = len(Ws)
    dWs, dbs = [None] * L, [None] * L
    delta = delta_output(zs[-1], y)
    for layer in reversed(range(L)):
        dWs[layer], dbs[layer] = layer_grads(delta, activations[layer])
        if layer:
            delta = delta_hidden(Ws[layer], delta, zs[layer - 1])
    return [dWs, dbs]


def backprop_batch(Ws, bs, X, Y):
    B = len(X)
    total_W = [[[0.0] * len(W[0]) for _ in W] for W in Ws]
    total_b = [[0.0] * len(b) for b in bs]
    for x, y in zip(X, Y, strict=False):
        dWs, dbs = backprop(Ws, bs, x, y)
        for layer in range(len(Ws)):
            total_W[layer] = [[t + g / B for t, g in zip(tr, gr, strict=False)]
                              for tr, gr in zip(total_W[layer], dWs[layer], strict=False)]
            total_b[layer] = [t + g / B for t, g in zip(total_b[layer], dbs[layer], strict=False)]
    return [total_W, total_b]
