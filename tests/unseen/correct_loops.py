# my solutions, written with plain python lists and loops (numpy only to read the inputs)
import math


def d_ln_x2(x):
    # ln(x^2) = 2 ln|x|
    return 2.0 / x


def d_sin_x2(x):
    u = x * x
    return math.cos(u) * 2 * x


def d_ln_sin_x3_sq(x):
    u1 = x ** 3
    u2 = math.sin(u1)
    u3 = u2 * u2
    return (1 / u3) * (2 * u2) * math.cos(u1) * (3 * x * x)


def d_x_plus_x2(x):
    return 1.0 + 2.0 * x


def d_sin_x_plus_x2(x):
    u = x + x * x
    return math.cos(u) * (1 + 2 * x)


def d_x_times_x2(x):
    # product rule: x * 2x + 1 * x^2
    return x * 2 * x + x * x


def grad_3x2y(x, y):
    return [6 * x * y, 3 * x * x]


def grad_x2_cos_y(x, y):
    return [2 * x, -math.sin(y)]


def jacobian_3x2y_2x_y8(x, y):
    return [[6 * x * y, 3 * x * x],
            [2, 8 * y ** 7]]


def jacobian_2x_y3(x, y):
    return [[2, 3 * y * y],
            [-13, math.exp(y)]]


def jacobian_sin_ln(x, y):
    return [[2 * x * math.cos(x * x + y), math.cos(x * x + y)],
            [0, 3 / y]]


def eye(n, scale=1.0):
    rows = []
    for i in range(n):
        row = []
        for j in range(n):
            row.append(scale if i == j else 0.0)
        rows.append(row)
    return rows


def diag(v):
    n = len(v)
    out = eye(n, 0.0)
    for i in range(n):
        out[i][i] = float(v[i])
    return out


def jacobian_identity(x):
    return eye(len(x))


def d_ln_x2_sin_3x(x):
    return [2 / x, 3 * math.cos(3 * x)]


def jac_add(w, x):
    return eye(len(w)), eye(len(x))


def jac_sub(w, x):
    return eye(len(w)), eye(len(x), -1.0)


def jac_mul(w, x):
    return diag(x), diag(w)


def jac_div(w, x):
    d_w = [1 / xi for xi in x]
    d_x = [-wi / (xi * xi) for wi, xi in zip(w, x)]
    return diag(d_w), diag(d_x)


def jac_max(w, x):
    dw, dx = [], []
    for wi, xi in zip(w, x):
        if wi > xi:
            dw.append(1)
            dx.append(0)
        else:
            dw.append(0)
            dx.append(1)
    return diag(dw), diag(dx)


def jac_relu(x):
    return diag([1 if xi > 0 else 0 for xi in x])


def jac_scalar_add(x, z):
    return eye(len(x)), [1.0] * len(x)


def jac_scalar_mul(x, z):
    return eye(len(x), z), [float(xi) for xi in x]


def grad_sum(x):
    return [1.0 for _ in x]


def grad_sum_xz(x, z):
    total = 0.0
    for xi in x:
        total += xi
    return [z] * len(x), total


def grad_dot(w, x):
    return list(x), list(w)


def vector_chain(J_f, J_g):
    m, k = len(J_f), len(J_g)
    n = len(J_g[0])
    out = [[0.0] * n for _ in range(m)]
    for i in range(m):
        for j in range(n):
            for t in range(k):
                out[i][j] += J_f[i][t] * J_g[t][j]
    return out


def dot(a, b):
    total = 0.0
    for ai, bi in zip(a, b):
        total += ai * bi
    return total


def neuron(w, b, x):
    z = dot(w, x) + b
    return z if z > 0 else 0.0


def neuron_grad(w, b, x):
    z = dot(w, x) + b
    if z > 0:
        return [float(xi) for xi in x], 1.0
    return [0.0] * len(x), 0.0


def layer_forward(W, b_vec, a_prev):
    out = []
    for row, bi in zip(W, b_vec):
        z = dot(row, a_prev) + bi
        out.append(max(0.0, z))
    return out


def layer_jacobian(W, b_vec, a_prev):
    out = []
    for row, bi in zip(W, b_vec):
        z = dot(row, a_prev) + bi
        out.append([float(v) if z > 0 else 0.0 for v in row])
    return out


def mse_loss(w, b, X, y):
    total = 0.0
    for xi, yi in zip(X, y):
        total += (yi - neuron(w, b, xi)) ** 2
    return total / len(X)


def _grad(w, b, X, y, k):
    gw = [0.0] * len(w)
    gb = 0.0
    for xi, yi in zip(X, y):
        z = dot(w, xi) + b
        if z > 0:
            e = z - yi
            for j in range(len(w)):
                gw[j] += e * xi[j]
            gb += e
    N = len(X)
    return [k * g / N for g in gw], k * gb / N


def mse_grad(w, b, X, y):
    return _grad(w, b, X, y, 2.0)


def mse_grad_half(w, b, X, y):
    return _grad(w, b, X, y, 1.0)


def gd_step(w, b, X, y, lr):
    gw, gb = mse_grad(w, b, X, y)
    return [wj - lr * g for wj, g in zip(w, gw)], b - lr * gb


def num_minibatches(m, batch_size):
    count = m // batch_size
    if m % batch_size != 0:
        count += 1
    return count


def sgd_epoch(w, b, X, y, lr, batch_size):
    start = 0
    while start < len(X):
        end = min(start + batch_size, len(X))
        w, b = gd_step(w, b, X[start:end], y[start:end], lr)
        start = end
    return w, b


def sig(t):
    if t >= 0:
        return 1 / (1 + math.exp(-t))
    e = math.exp(t)
    return e / (1 + e)


def sigmoid_prime(z):
    return [sig(t) * (1 - sig(t)) for t in z]


def delta_output(z_L, y):
    return [(sig(t) - yi) * sig(t) * (1 - sig(t)) for t, yi in zip(z_L, y)]


def delta_hidden(W_next, delta_next, z):
    out = []
    for j in range(len(z)):
        total = 0.0
        for k in range(len(delta_next)):
            total += W_next[k][j] * delta_next[k]
        out.append(total * sig(z[j]) * (1 - sig(z[j])))
    return out


def layer_grads(delta, a_prev):
    dW = [[d * a for a in a_prev] for d in delta]
    return dW, [float(d) for d in delta]


def backprop(Ws, bs, x, y):
    acts = [list(x)]
    zs = []
    for W, b in zip(Ws, bs):
        z = [dot(row, acts[-1]) + bi for row, bi in zip(W, b)]
        zs.append(z)
        acts.append([sig(t) for t in z])
    L = len(Ws)
    dWs = [None] * L
    dbs = [None] * L
    delta = delta_output(zs[-1], y)
    for l in reversed(range(L)):
        dWs[l], dbs[l] = layer_grads(delta, acts[l])
        if l > 0:
            delta = delta_hidden(Ws[l], delta, zs[l - 1])
    return dWs, dbs


def backprop_batch(Ws, bs, X, Y):
    sums_W = None
    sums_b = None
    for x, y in zip(X, Y):
        dWs, dbs = backprop(Ws, bs, x, y)
        if sums_W is None:
            sums_W, sums_b = dWs, dbs
        else:
            sums_W = [[[p + q for p, q in zip(r1, r2)] for r1, r2 in zip(A, B)] for A, B in zip(sums_W, dWs)]
            sums_b = [[p + q for p, q in zip(a, c)] for a, c in zip(sums_b, dbs)]
    B = len(X)
    return ([[[v / B for v in row] for row in M] for M in sums_W],
            [[v / B for v in vec] for vec in sums_b])
