"""The rest of group MS: the Hadamard product, activations' derivatives, softmax, layouts, biases.

Vectors have shape (n,) and Jacobians are (m, n) in the numerator layout (K1); MS-02 (the
sigmoid) lives in `reference.backprop` with the rest of backpropagation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from reference.elementwise import heaviside
from reference.loss import mse_grad

__all__ = [
    "d_linear_combination",
    "diag_product",
    "hadamard",
    "hadamard_as_diag",
    "mse_grad_columns",
    "relu_prime",
    "rows_from_columns",
    "shared_bias_grad",
    "softmax",
    "softmax_jacobian",
    "tanh_prime",
    "to_denominator_layout",
]

Array: TypeAlias = NDArray[np.float64]


def _vec(v: ArrayLike) -> Array:
    """v as a float64 array (no copy when it already is one)."""
    return np.asarray(v, dtype=np.float64)


def hadamard(s: Array, t: Array) -> Array:
    """MS-01, ER-25: the Hadamard product s * t = [s_i t_i], a vector (its sum is s . t)."""
    return _vec(s) * _vec(t)


def hadamard_as_diag(s: Array, t: Array) -> Array:
    """MS-01: the Hadamard product as a matrix product, diag(s) @ t."""
    return np.diag(_vec(s)) @ _vec(t)


def relu_prime(z: Array) -> Array:
    """MS-03: ReLU as a layer's activation, s'(z) = H(z) element-wise (H(0) = 0)."""
    return heaviside(z)


def tanh_prime(z: Array) -> Array:
    """MS-04: tanh'(z) = 1 - tanh(z)^2 element-wise."""
    t = np.tanh(_vec(z))
    return 1.0 - t * t


def softmax(z: Array) -> Array:
    """MS-05: p = exp(z) / sum(exp(z)), shifted by max(z) so that it never overflows."""
    z = _vec(z)
    e = np.exp(z - np.max(z))
    return np.asarray(e / np.sum(e), dtype=np.float64)


def softmax_jacobian(z: Array) -> Array:
    """MS-05, ER-06: dp/dz = diag(p) - p p^T, a full (not diagonal) (n, n) matrix."""
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)


def to_denominator_layout(J: Array) -> Array:
    """MS-06: the denominator-layout Jacobian is the transpose of the numerator-layout one."""
    return _vec(J).T.copy()


def diag_product(a: Array, b: Array) -> Array:
    """MS-07, CR-08: diag(a) @ diag(b), which equals diag(a * b)."""
    return np.diag(_vec(a)) @ np.diag(_vec(b))


def d_linear_combination(coefficients: Sequence[float], derivatives: Sequence[float]) -> float:
    """MS-08, SC-02, SC-04: d/dx sum_i c_i f_i = sum_i c_i f_i' (the operator is linear)."""
    return float(sum(c * d for c, d in zip(coefficients, derivatives, strict=True)))


def shared_bias_grad(delta: Array) -> float:
    """MS-09, C-12: for one scalar bias shared by every node, dC/db = sum_j delta_j."""
    return float(np.sum(_vec(delta)))


def rows_from_columns(X_columns: Array) -> Array:
    """MS-10, C-8: S004's data matrix (n, N), one example per column, as K5's (N, n)."""
    return _vec(X_columns).T.copy()


def mse_grad_columns(w: Array, b: float, X_columns: Array, y: Array) -> tuple[Array, float]:
    """MS-10: `mse_grad` for a data matrix with one example per column: X (mask * e), not X^T."""
    return mse_grad(w, b, rows_from_columns(X_columns), y)
