"""Sum reductions and the dot product (group RD), the vector chain rule (CR-07, CR-08).

The gradient of a scalar with respect to a vector of shape (n,) has shape (n,) (K2), the
1 x n row of the numerator layout flattened; with respect to a scalar it is a float.
"""

from __future__ import annotations

from typing import Final, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "EXERCISES",
    "affine",
    "diagonal_chain",
    "dot",
    "grad_affine",
    "grad_dot",
    "grad_sum",
    "grad_sum_2v",
    "grad_sum_add",
    "grad_sum_of",
    "grad_sum_xz",
    "ones_times_diag",
    "sum_2v",
    "sum_add",
    "sum_x",
    "sum_xz",
    "vector_chain",
]

Array: TypeAlias = NDArray[np.float64]

EXERCISES: Final[tuple[str, ...]] = ("grad_sum", "grad_sum_xz", "grad_dot", "vector_chain")


def _vec(v: ArrayLike) -> Array:
    """v as a float64 array (no copy when it already is one)."""
    return np.asarray(v, dtype=np.float64)


# -- the exercises of the set `reductions` -----------------------------------------------------


def grad_sum(x: Array) -> Array:
    """RD-02: y = sum(x), dy/dx = ones of shape (n,)."""
    return np.ones(np.shape(x)[0])


def grad_sum_xz(x: Array, z: float) -> tuple[Array, float]:
    """RD-03: y = sum(x z), (dy/dx, dy/dz) = (z ones of shape (n,), sum(x))."""
    x = _vec(x)
    return np.full(x.shape[0], float(z)), float(np.sum(x))


def grad_dot(w: Array, x: Array) -> tuple[Array, Array]:
    """RD-05: y = w . x, (dy/dw, dy/dx) = (x, w), each of shape (n,)."""
    return _vec(x).copy(), _vec(w).copy()


def vector_chain(J_f: Array, J_g: Array) -> Array:
    """CR-07: d f(g(x))/dx = (df/dg)(dg/dx), (m, k) @ (k, n) = (m, n), in that order."""
    return _vec(J_f) @ _vec(J_g)


# -- their primals -----------------------------------------------------------------------------


def sum_x(x: Array) -> float:
    """Primal of RD-02: sum(x)."""
    return float(np.sum(_vec(x)))


def sum_xz(x: Array, z: float) -> float:
    """Primal of RD-03: sum(x z)."""
    return float(np.sum(_vec(x) * float(z)))


def dot(w: Array, x: Array) -> float:
    """Primal of RD-05: w . x."""
    return float(np.dot(_vec(w), _vec(x)))


# -- the other entries of group RD and CR-08 ---------------------------------------------------


def grad_sum_of(J_f: Array) -> Array:
    """RD-01, ER-08: d sum(f(x))/dx = 1^T (df/dx), the column sums of the Jacobian, shape (n,)."""
    return np.asarray(np.sum(_vec(J_f), axis=0), dtype=np.float64)


def sum_2v(v: Array) -> float:
    """Primal of RD-04: sum(2v)."""
    return float(np.sum(2.0 * _vec(v)))


def grad_sum_2v(v: Array) -> Array:
    """RD-04: d sum(2v)/dv = 2 ones of shape (n,)."""
    return np.full(np.shape(v)[0], 2.0)


def affine(w: Array, b: float, x: Array) -> float:
    """Primal of RD-06: w . x + b."""
    return float(np.dot(_vec(w), _vec(x)) + b)


def grad_affine(w: Array, b: float, x: Array) -> tuple[Array, float]:
    """RD-06: y = w . x + b, (dy/dw, dy/db) = (x + 0, 1)."""
    return _vec(x).copy(), 1.0


def sum_add(w: Array, x: Array) -> float:
    """Primal of RD-07: sum(w + x)."""
    return float(np.sum(_vec(w) + _vec(x)))


def grad_sum_add(w: Array, x: Array) -> tuple[Array, Array]:
    """RD-07: y = sum(w + x), (dy/dw, dy/dx) = (1^T I, 1^T I) = (ones, ones)."""
    n = np.shape(w)[0]
    return np.ones(n), np.ones(n)


def ones_times_diag(x: Array) -> Array:
    """RD-08, ER-09, ER-26: 1^T diag(x) = x^T, computed as the product."""
    x = _vec(x)
    return np.ones(x.shape[0]) @ np.diag(x)


def diagonal_chain(df_dg: Array, dg_dx: Array) -> Array:
    """CR-08: diag(df_i/dg_i) diag(dg_i/dx_i) = diag((df_i/dg_i)(dg_i/dx_i)), shape (n, n)."""
    return np.diag(_vec(df_dg) * _vec(dg_dx))
