"""The mean-squared-error loss of a ReLU neuron and its gradient (group LS); gradient descent (GD).

Data hold one example per row: X has shape (N, n) and y shape (N,) (K5).  The error term is
prediction minus target, e_i = w . x_i + b - y_i (K7), and the ReLU mask 1[z_i > 0] stays
inside the sum, one per example (ER-14, ER-30).  `mse_loss` is normalised by 1/N (PH), and
`mse_loss_half` by 1/(2N) (S004, NI) (K8).  A gradient with respect to w has w's shape (n,),
so an update w - lr * dC/dw keeps it (ER-32).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from reference.elementwise import heaviside
from reference.neuron import pre_activation, relu_derivative

__all__ = [
    "EXERCISES",
    "augment",
    "augment_params",
    "gd_step",
    "minibatch_sizes",
    "mse_grad",
    "mse_grad_augmented",
    "mse_grad_half",
    "mse_grad_one_example",
    "mse_grad_per_example",
    "mse_loss",
    "mse_loss_augmented",
    "mse_loss_half",
    "num_minibatches",
    "num_minibatches_drop_last",
    "reroll",
    "residual",
    "residual_grad",
    "sgd_epoch",
    "unroll",
]

Array: TypeAlias = NDArray[np.float64]

EXERCISES: Final[tuple[str, ...]] = (
    "mse_loss",
    "mse_grad",
    "mse_grad_half",
    "gd_step",
    "num_minibatches",
    "sgd_epoch",
)


def _vec(v: ArrayLike) -> Array:
    """v as a float64 array (no copy when it already is one)."""
    return np.asarray(v, dtype=np.float64)


def _masked_errors(w: Array, b: float, X: Array, y: Array) -> Array:
    """1[z_i > 0] e_i for every example, with z = X w + b and e = z - y, shape (N,)."""
    z = _vec(X) @ _vec(w) + float(b)
    return heaviside(z) * (z - _vec(y))


# -- the exercises of the set `loss` -----------------------------------------------------------


def mse_loss(w: Array, b: float, X: Array, y: Array) -> float:
    """LS-01: C = (1/N) sum_i (y_i - max(0, w . x_i + b))^2."""
    a = np.maximum(_vec(X) @ _vec(w) + float(b), 0.0)
    return float(np.mean((_vec(y) - a) ** 2))


def mse_grad(w: Array, b: float, X: Array, y: Array) -> tuple[Array, float]:
    """LS-03, LS-04, LS-07: ((2/N) sum_i H(z_i) e_i x_i, (2/N) sum_i H(z_i) e_i), vectorised."""
    g = _masked_errors(w, b, X, y)
    N = g.shape[0]
    return (2.0 / N) * (g @ _vec(X)), float((2.0 / N) * np.sum(g))


def mse_grad_half(w: Array, b: float, X: Array, y: Array) -> tuple[Array, float]:
    """LS-05: the gradient of C = 1/(2N) sum_i (y_i - a_i)^2, ((1/N) sum H e x, (1/N) sum H e)."""
    g = _masked_errors(w, b, X, y)
    N = g.shape[0]
    return (g @ _vec(X)) / N, float(np.sum(g) / N)


def gd_step(w: Array, b: float, X: Array, y: Array, lr: float) -> tuple[Array, float]:
    """GD-01, ER-32: one descent step on `mse_loss`, (w - lr dC/dw, b - lr dC/db)."""
    dw, db = mse_grad(w, b, X, y)
    return _vec(w) - lr * dw, float(b - lr * db)


def num_minibatches(m: int, batch_size: int) -> int:
    """GD-04, ER-19: ceil(m / batch_size), the last batch possibly short (10^6, 120 -> 8334)."""
    return -(-int(m) // int(batch_size))


def sgd_epoch(w: Array, b: float, X: Array, y: Array, lr: float, batch_size: int) -> tuple[Array, float]:
    """GD-05: one pass over the rows in order, a `gd_step` on each X[k:k+batch_size] alone."""
    X, y = _vec(X), _vec(y)
    w_t, b_t = _vec(w).copy(), float(b)
    for k in range(0, X.shape[0], int(batch_size)):
        w_t, b_t = gd_step(w_t, b_t, X[k : k + batch_size], y[k : k + batch_size], lr)
    return w_t, b_t


# -- the other entries of group LS -------------------------------------------------------------


def mse_loss_half(w: Array, b: float, X: Array, y: Array) -> float:
    """LS-05, ER-11: C = 1/(2N) sum_i (y_i - max(0, w . x_i + b))^2."""
    return 0.5 * mse_loss(w, b, X, y)


def mse_grad_per_example(w: Array, b: float, X: Array, y: Array) -> tuple[Array, float]:
    """LS-03, LS-04 term by term: (2/N) sum_i 1[z_i > 0] e_i x_i and (2/N) sum_i 1[z_i > 0] e_i."""
    X, y = _vec(X), _vec(y)
    N = X.shape[0]
    dw, db = np.zeros(X.shape[1]), 0.0
    for x_i, y_i in zip(X, y, strict=True):
        z_i = pre_activation(w, b, x_i)
        e_i = z_i - float(y_i)
        dw = dw + relu_derivative(z_i) * e_i * x_i
        db += relu_derivative(z_i) * e_i
    return (2.0 / N) * dw, (2.0 / N) * db


def residual(w: Array, b: float, x: Array, y: float) -> float:
    """LS-02: v = y - u, u = max(0, w . x + b), for one example."""
    return float(y) - max(0.0, pre_activation(w, b, x))


def residual_grad(w: Array, b: float, x: Array, y: float) -> tuple[Array, float]:
    """LS-02, ER-12: (dv/dw, dv/db) = -(du/dw, du/db) = (-H(z) x, -H(z))."""
    h = relu_derivative(pre_activation(w, b, x))
    return -h * _vec(x), -h


def mse_grad_one_example(w: Array, b: float, x: Array, y: float) -> tuple[Array, float]:
    """LS-06, ER-24: for N = 1 the gradient is (2 H(z) e x, 2 H(z) e), a step along x."""
    z = pre_activation(w, b, x)
    scale = 2.0 * relu_derivative(z) * (z - float(y))
    return scale * _vec(x), scale


def augment(X: Array) -> Array:
    """LS-08, ER-33: X_hat = [X, 1_N], each row x_hat_i = [x_i, 1], shape (N, n + 1)."""
    X = _vec(X)
    return np.hstack([X, np.ones((X.shape[0], 1))])


def augment_params(w: Array, b: float) -> Array:
    """LS-08: w_hat = [w, b], shape (n + 1,), so that w_hat . x_hat = w . x + b."""
    return np.append(_vec(w), float(b))


def mse_loss_augmented(w_hat: Array, X: Array, y: Array) -> float:
    """Primal of LS-08: C(w_hat) = (1/N) sum_i (y_i - max(0, w_hat . x_hat_i))^2."""
    w_hat = _vec(w_hat)
    return mse_loss(w_hat[:-1], float(w_hat[-1]), X, y)


def mse_grad_augmented(w_hat: Array, X: Array, y: Array) -> Array:
    """LS-08: dC/dw_hat = (2/N) (mask * e)^T X_hat = [dC/dw, dC/db], shape (n + 1,)."""
    X_hat = augment(X)
    z = X_hat @ _vec(w_hat)
    g = heaviside(z) * (z - _vec(y))
    return np.asarray((2.0 / X_hat.shape[0]) * (g @ X_hat), dtype=np.float64)


# -- the other entries of group GD -------------------------------------------------------------


def unroll(arrays: Sequence[Array]) -> Array:
    """GD-03: theta, all parameters flattened in order (row-major) into one vector."""
    return np.concatenate([_vec(a).ravel() for a in arrays]) if arrays else np.zeros(0)


def reroll(theta: Array, like: Sequence[Array]) -> list[Array]:
    """GD-03: the inverse of `unroll`, theta cut into arrays of the shapes of `like`."""
    theta = _vec(theta)
    out: list[Array] = []
    start = 0
    for a in like:
        shape = np.shape(a)
        size = int(np.prod(shape))
        out.append(theta[start : start + size].reshape(shape).copy())
        start += size
    return out


def num_minibatches_drop_last(m: int, batch_size: int) -> int:
    """GD-04: floor(m / batch_size), the count when the short last batch is dropped."""
    return int(m) // int(batch_size)


def minibatch_sizes(m: int, batch_size: int) -> list[int]:
    """GD-04, C-15: the sizes of the minibatches of one pass: batch_size, but a short last one."""
    full, rest = divmod(int(m), int(batch_size))
    return [int(batch_size)] * full + ([rest] if rest else [])
