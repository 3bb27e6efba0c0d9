"""Corpus: a correct submission that lets PyTorch's autograd do every derivative.

Each primal function is written in torch (float64), and each answer is its derivative from
`torch.autograd.functional.jacobian` or `torch.func` (grad, jacrev, vmap), returned as numpy
(`.detach().numpy()`), as a student checking hand-derived gradients would.  The values that are
not derivatives (neuron, layer_forward, mse_loss, num_minibatches) are computed in torch too.
At the ReLU kink torch's derivative is 0, which K3 accepts.  Needs `pip install 'matgrade[torch]'`.
"""

import torch
from torch.autograd.functional import jacobian
from torch.func import grad, jacrev, vmap

torch.set_default_dtype(torch.float64)


def _t(value):
    """A float64 tensor of an argument (a float or a numpy array), a copy of it."""
    return torch.tensor(value, dtype=torch.float64)


def _np(tensor):
    return tensor.detach().numpy()


def _derivative(f, x):
    """d f / d x of a scalar function of a scalar, as a float."""
    return float(grad(f)(_t(x)))


def _jacobian_xy(F, x, y):
    """The (m, 2) Jacobian of F(x, y), numerator layout, from the stacked variables."""
    return _np(jacobian(lambda v: F(v[0], v[1]), _t([x, y])))


# ---- scalar ---------------------------------------------------------------------------------


def d_ln_x2(x):
    return _derivative(lambda x: torch.log(x**2), x)


def d_sin_x2(x):
    return _derivative(lambda x: torch.sin(x**2), x)


def d_ln_sin_x3_sq(x):
    return _derivative(lambda x: torch.log(torch.sin(x**3) ** 2), x)


def d_x_plus_x2(x):
    return _derivative(lambda x: x + x**2, x)


def d_sin_x_plus_x2(x):
    return _derivative(lambda x: torch.sin(x + x**2), x)


def d_x_times_x2(x):
    return _derivative(lambda x: x * x**2, x)


# ---- jacobians ----------------------------------------------------------------------------


def grad_3x2y(x, y):
    return _np(grad(lambda v: 3 * v[0] ** 2 * v[1])(_t([x, y])))


def grad_x2_cos_y(x, y):
    return _np(grad(lambda v: v[0] ** 2 + torch.cos(v[1]))(_t([x, y])))


def jacobian_3x2y_2x_y8(x, y):
    return _jacobian_xy(lambda x, y: torch.stack([3 * x**2 * y, 2 * x + y**8]), x, y)


def jacobian_2x_y3(x, y):
    return _jacobian_xy(lambda x, y: torch.stack([2 * x + y**3, torch.exp(y) - 13 * x]), x, y)


def jacobian_sin_ln(x, y):
    return _jacobian_xy(lambda x, y: torch.stack([torch.sin(x**2 + y), torch.log(y**3)]), x, y)


def jacobian_identity(x):
    return _np(jacobian(lambda x: x, _t(x)))


def d_ln_x2_sin_3x(x):
    return _np(jacrev(lambda x: torch.stack([torch.log(x**2), torch.sin(3 * x)]))(_t(x)))


# ---- elementwise ----------------------------------------------------------------------------


def _pair(f, a, b):
    """The pair of Jacobians of f(a, b) with respect to a and to b."""
    return [_np(j) for j in jacobian(f, (_t(a), _t(b)))]


def jac_add(w, x):
    return _pair(torch.add, w, x)


def jac_sub(w, x):
    return _pair(torch.sub, w, x)


def jac_mul(w, x):
    return _pair(torch.mul, w, x)


def jac_div(w, x):
    return _pair(torch.div, w, x)


def jac_max(w, x):
    return _pair(torch.maximum, w, x)


def jac_relu(x):
    return _np(jacobian(torch.relu, _t(x)))


def jac_scalar_add(x, z):
    return _pair(lambda x, z: x + z, x, z)


def jac_scalar_mul(x, z):
    return _pair(lambda x, z: x * z, x, z)


# ---- reductions -----------------------------------------------------------------------------


def grad_sum(x):
    return _np(grad(torch.sum)(_t(x)))


def grad_sum_xz(x, z):
    dx, dz = grad(lambda x, z: torch.sum(x * z), argnums=(0, 1))(_t(x), _t(z))
    return [_np(dx), float(dz)]


def grad_dot(w, x):
    return [_np(g) for g in grad(torch.dot, argnums=(0, 1))(_t(w), _t(x))]


def vector_chain(J_f, J_g):
    # f(g(x)) with f and g the linear maps of their Jacobians: autograd multiplies them out
    J_f, J_g = _t(J_f), _t(J_g)
    return _np(jacrev(lambda x: J_f @ (J_g @ x))(torch.zeros(J_g.shape[1])))


# ---- neuron ---------------------------------------------------------------------------------


def _neuron(w, b, x):
    return torch.relu(torch.dot(w, x) + b)


def neuron(w, b, x):
    return float(_neuron(_t(w), _t(b), _t(x)))


def neuron_grad(w, b, x):
    dw, db = grad(_neuron, argnums=(0, 1))(_t(w), _t(b), _t(x))
    return [_np(dw), float(db)]


def _layer(W, b_vec, a_prev):
    return torch.relu(W @ a_prev + b_vec)


def layer_forward(W, b_vec, a_prev):
    return _np(_layer(_t(W), _t(b_vec), _t(a_prev)))


def layer_jacobian(W, b_vec, a_prev):
    W, b_vec = _t(W), _t(b_vec)
    return _np(jacobian(lambda a: _layer(W, b_vec, a), _t(a_prev)))


# ---- loss -----------------------------------------------------------------------------------


def _mse(w, b, X, y):
    return torch.mean((y - torch.relu(X @ w + b)) ** 2)


def mse_loss(w, b, X, y):
    return float(_mse(_t(w), _t(b), _t(X), _t(y)))


def _mse_grad(w, b, X, y):
    return grad(_mse, argnums=(0, 1))(w, b, X, y)


def mse_grad(w, b, X, y):
    dw, db = _mse_grad(_t(w), _t(b), _t(X), _t(y))
    return [_np(dw), float(db)]


def mse_grad_half(w, b, X, y):
    dw, db = grad(lambda w, b: _mse(w, b, _t(X), _t(y)) / 2, argnums=(0, 1))(_t(w), _t(b))
    return [_np(dw), float(db)]


def _step(w, b, X, y, lr):
    dw, db = _mse_grad(w, b, X, y)
    return w - lr * dw, b - lr * db


def gd_step(w, b, X, y, lr):
    w, b = _step(_t(w), _t(b), _t(X), _t(y), lr)
    return [_np(w), float(b)]


def num_minibatches(m, batch_size):
    return int(torch.div(torch.tensor(m) + batch_size - 1, batch_size, rounding_mode="floor"))


def sgd_epoch(w, b, X, y, lr, batch_size):
    w, b, X, y = _t(w), _t(b), _t(X), _t(y)
    for start in range(0, len(y), batch_size):
        w, b = _step(w, b, X[start : start + batch_size], y[start : start + batch_size], lr)
    return [_np(w), float(b)]


# ---- backprop -------------------------------------------------------------------------------


def sigmoid_prime(z):
    return _np(vmap(grad(torch.sigmoid))(_t(z)))


def _cost(z_L, y):
    return 0.5 * torch.sum((torch.sigmoid(z_L) - y) ** 2)


def delta_output(z_L, y):
    return _np(grad(_cost)(_t(z_L), _t(y)))  # dC/dz^L


def delta_hidden(W_next, delta_next, z):
    # delta^l = dC/dz^l, through z^(l+1) = W^(l+1) s(z^l) + b, whose dC/dz^(l+1) is delta_next
    W_next, delta_next = _t(W_next), _t(delta_next)
    return _np(grad(lambda z: delta_next @ (W_next @ torch.sigmoid(z)))(_t(z)))


def layer_grads(delta, a_prev):
    # dC/dW and dC/db through z = W a_prev + b, whose dC/dz is delta; z is linear in (W, b)
    delta, a_prev = _t(delta), _t(a_prev)
    W0, b0 = torch.zeros(len(delta), len(a_prev)), torch.zeros(len(delta))
    dW, db = grad(lambda W, b: delta @ (W @ a_prev + b), argnums=(0, 1))(W0, b0)
    return [_np(dW), _np(db)]


def _batch_cost(Ws, bs, X, Y):
    A = X
    for W, b in zip(Ws, bs):
        A = torch.sigmoid(A @ W.T + b)
    return torch.mean(0.5 * torch.sum((A - Y) ** 2, dim=1))


def backprop_batch(Ws, bs, X, Y):
    dWs, dbs = grad(_batch_cost, argnums=(0, 1))([_t(W) for W in Ws], [_t(b) for b in bs], _t(X), _t(Y))
    return [[_np(d) for d in dWs], [_np(d) for d in dbs]]


def backprop(Ws, bs, x, y):
    return backprop_batch(Ws, bs, x[None, :], y[None, :])
