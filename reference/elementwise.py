"""Element-wise binary operations (group EW) and scalar expansion (group SE).

w and x are vectors of shape (n,) and z is a float.  Every Jacobian is returned as a full
(n, n) matrix (K4), in the numerator layout (K1); the derivative with respect to the scalar z
is the m x 1 Jacobian flattened to (n,) (K2).  A pair of Jacobians comes in the order of the
arguments (K10).  The ReLU derivative uses H(0) = 0 (K3) and the element-wise max gives a tie
to neither argument (C-4); the exercises' inputs avoid both points.
"""

from __future__ import annotations

from typing import Final, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "EXERCISES",
    "add",
    "diagonal_jacobian",
    "div",
    "double",
    "greater",
    "heaviside",
    "jac_add",
    "jac_div",
    "jac_double",
    "jac_greater",
    "jac_hadamard_general",
    "jac_max",
    "jac_mul",
    "jac_relu",
    "jac_scalar_add",
    "jac_scalar_div",
    "jac_scalar_mul",
    "jac_scalar_rdiv",
    "jac_scalar_rsub",
    "jac_scalar_sub",
    "jac_sub",
    "maximum",
    "mul",
    "relu",
    "scalar_add",
    "scalar_div",
    "scalar_mul",
    "scalar_rdiv",
    "scalar_rsub",
    "scalar_sub",
    "sub",
]

Array: TypeAlias = NDArray[np.float64]
Pair: TypeAlias = tuple[NDArray[np.float64], NDArray[np.float64]]

EXERCISES: Final[tuple[str, ...]] = (
    "jac_add",
    "jac_sub",
    "jac_mul",
    "jac_div",
    "jac_max",
    "jac_relu",
    "jac_scalar_add",
    "jac_scalar_mul",
)


def _vec(v: ArrayLike) -> Array:
    """v as a float64 array (no copy when it already is one)."""
    return np.asarray(v, dtype=np.float64)


def heaviside(z: ArrayLike) -> Array:
    """NA-01, C-3: H(z) = 1[z > 0] element-wise, with H(0) = 0."""
    return np.asarray(_vec(z) > 0.0, dtype=np.float64)


def diagonal_jacobian(partials: ArrayLike) -> Array:
    """EW-02: under the element-wise diagonal condition the Jacobian is diag(d y_i / d v_i)."""
    return np.diag(_vec(partials))


# -- the exercises of the set `elementwise` ----------------------------------------------------


def jac_add(w: Array, x: Array) -> Pair:
    """EW-03: y = w + x, (dy/dw, dy/dx) = (I, I)."""
    n = np.shape(w)[0]
    return np.eye(n), np.eye(n)


def jac_sub(w: Array, x: Array) -> Pair:
    """EW-04: y = w - x, (dy/dw, dy/dx) = (I, -I)."""
    n = np.shape(w)[0]
    return np.eye(n), -np.eye(n)


def jac_mul(w: Array, x: Array) -> Pair:
    """EW-05: y = w * x (Hadamard), (dy/dw, dy/dx) = (diag(x), diag(w))."""
    return np.diag(_vec(x)), np.diag(_vec(w))


def jac_div(w: Array, x: Array) -> Pair:
    """EW-06: y = w / x, (dy/dw, dy/dx) = (diag(1/x), diag(-w/x^2)) (x_i != 0)."""
    w, x = _vec(w), _vec(x)
    return np.diag(1.0 / x), np.diag(-w / (x * x))


def jac_max(w: Array, x: Array) -> Pair:
    """EW-07: y = max(w, x) element-wise, (diag(1[w > x]), diag(1[x > w])) (no ties)."""
    w, x = _vec(w), _vec(x)
    return np.diag(heaviside(w - x)), np.diag(heaviside(x - w))


def jac_relu(x: Array) -> Array:
    """EW-09, ER-29: y = max(0, x) element-wise, dy/dx = diag(H(x)), the full (n, n) matrix."""
    return np.diag(heaviside(x))


def jac_scalar_add(x: Array, z: float) -> Pair:
    """SE-01: y = x + z, (dy/dx, dy/dz) = (I of shape (n, n), ones of shape (n,))."""
    n = np.shape(x)[0]
    return np.eye(n), np.ones(n)


def jac_scalar_mul(x: Array, z: float) -> Pair:
    """SE-02: y = x z, (dy/dx, dy/dz) = (z I, x)."""
    x = _vec(x)
    return float(z) * np.eye(x.shape[0]), x.copy()


# -- their primals -----------------------------------------------------------------------------


def add(w: Array, x: Array) -> Array:
    """Primal of EW-03: w + x."""
    return _vec(w) + _vec(x)


def sub(w: Array, x: Array) -> Array:
    """Primal of EW-04: w - x."""
    return _vec(w) - _vec(x)


def mul(w: Array, x: Array) -> Array:
    """Primal of EW-05: w * x (Hadamard)."""
    return _vec(w) * _vec(x)


def div(w: Array, x: Array) -> Array:
    """Primal of EW-06: w / x element-wise."""
    return _vec(w) / _vec(x)


def maximum(w: Array, x: Array) -> Array:
    """Primal of EW-07: max(w, x) element-wise."""
    return np.maximum(_vec(w), _vec(x))


def relu(x: Array) -> Array:
    """Primal of EW-09: max(0, x) element-wise."""
    return np.maximum(_vec(x), 0.0)


def scalar_add(x: Array, z: float) -> Array:
    """Primal of SE-01: x + z (x + 1_n z)."""
    return _vec(x) + float(z)


def scalar_mul(x: Array, z: float) -> Array:
    """Primal of SE-02: x z."""
    return _vec(x) * float(z)


# -- the other entries of groups EW and SE -----------------------------------------------------


def jac_hadamard_general(f_w: Array, jac_f: Array, g_x: Array, jac_g: Array) -> Pair:
    """EW-01 for y = f(w) * g(x): (dy/dw, dy/dx) = (diag(g(x)) df/dw, diag(f(w)) dg/dx), full."""
    return np.diag(_vec(g_x)) @ _vec(jac_f), np.diag(_vec(f_w)) @ _vec(jac_g)


def greater(w: Array, x: Array) -> Array:
    """Primal of EW-08: the comparison 1[w > x] as a 0/1 float vector."""
    return heaviside(_vec(w) - _vec(x))


def jac_greater(w: Array, x: Array) -> Pair:
    """EW-08: y = 1[w > x], (dy/dw, dy/dx) = (0, 0) away from ties."""
    n = np.shape(w)[0]
    return np.zeros((n, n)), np.zeros((n, n))


def scalar_sub(x: Array, z: float) -> Array:
    """Primal of SE-03: x - z."""
    return _vec(x) - float(z)


def jac_scalar_sub(x: Array, z: float) -> Pair:
    """SE-03: y = x - z, (dy/dx, dy/dz) = (I, -1_n)."""
    n = np.shape(x)[0]
    return np.eye(n), -np.ones(n)


def scalar_rsub(x: Array, z: float) -> Array:
    """Primal of SE-03 reversed: z - x."""
    return float(z) - _vec(x)


def jac_scalar_rsub(x: Array, z: float) -> Pair:
    """SE-03 reversed: y = z - x, (dy/dx, dy/dz) = (-I, +1_n)."""
    n = np.shape(x)[0]
    return -np.eye(n), np.ones(n)


def scalar_div(x: Array, z: float) -> Array:
    """Primal of SE-04: x / z (z != 0)."""
    return _vec(x) / float(z)


def jac_scalar_div(x: Array, z: float) -> Pair:
    """SE-04: y = x / z, (dy/dx, dy/dz) = (I / z, -x / z^2)."""
    x, z = _vec(x), float(z)
    return np.eye(x.shape[0]) / z, -x / (z * z)


def scalar_rdiv(x: Array, z: float) -> Array:
    """Primal of SE-04 reversed: z / x element-wise (x_i != 0)."""
    return float(z) / _vec(x)


def jac_scalar_rdiv(x: Array, z: float) -> Pair:
    """SE-04 reversed: y = z / x, (dy/dx, dy/dz) = (diag(-z / x^2), 1 / x)."""
    x, z = _vec(x), float(z)
    return np.diag(-z / (x * x)), 1.0 / x


def double(v: Array) -> Array:
    """Primal of SE-05: 2v = (2 1_n) * v."""
    return 2.0 * _vec(v)


def jac_double(v: Array) -> Array:
    """SE-05: d(2v)/dv = 2I."""
    return 2.0 * np.eye(np.shape(v)[0])
