"""Gradients of f(x, y) and Jacobians of F: R^2 -> R^2 (group GJ), and CR-06.

Numerator layout (K1): the Jacobian of F: R^n -> R^m is (m, n), row i the gradient of F_i.
A gradient of a scalar is a 1-D array (n,), and so is the derivative of a vector with respect
to a scalar (K2).  The exercises of the set `jacobians` are listed in `EXERCISES`; `PRIMALS`
gives each (but `jacobian_identity`, whose size varies) as a sympy formula, and
`CATALOGUE_PRIMALS` the symbolic entries of GJ and CR-06.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final, TypeAlias

import numpy as np
from numpy.typing import NDArray

from reference.symbolic import Primal

__all__ = [
    "CATALOGUE_PRIMALS",
    "EXERCISES",
    "PRIMALS",
    "dF_dg_sin_ln",
    "d_ln_x2_sin_3x",
    "d_ln_x2_sin_kx",
    "derivative_shape",
    "dg_dxy_sin_ln",
    "grad_2x_y8",
    "grad_3x2y",
    "grad_x2_cos_y",
    "identity",
    "jacobian_2x_y3",
    "jacobian_3x2y_2x_y8",
    "jacobian_from_gradients",
    "jacobian_identity",
    "jacobian_sin_ln",
    "jacobian_sin_ln_chain",
    "ln_x2_sin_3x",
    "ln_x2_sin_kx",
    "three_x2_y",
    "two_x_plus_y8",
    "vec_2x_y3",
    "vec_3x2y_2x_y8",
    "vec_sin_ln",
    "x2_plus_cos_y",
]

Array: TypeAlias = NDArray[np.float64]

EXERCISES: Final[tuple[str, ...]] = (
    "grad_3x2y",
    "grad_x2_cos_y",
    "jacobian_3x2y_2x_y8",
    "jacobian_2x_y3",
    "jacobian_sin_ln",
    "jacobian_identity",
    "d_ln_x2_sin_3x",
)

PRIMALS: Final[Mapping[str, Primal]] = MappingProxyType(
    {
        "grad_3x2y": Primal("3*x**2*y", ("x", "y")),
        "grad_x2_cos_y": Primal("x**2 + cos(y)", ("x", "y")),
        "jacobian_3x2y_2x_y8": Primal(("3*x**2*y", "2*x + y**8"), ("x", "y")),
        "jacobian_2x_y3": Primal(("2*x + y**3", "exp(y) - 13*x"), ("x", "y")),
        "jacobian_sin_ln": Primal(("sin(x**2 + y)", "log(y**3)"), ("x", "y")),
        "d_ln_x2_sin_3x": Primal(("log(x**2)", "sin(3*x)"), ("x",)),
    }
)

CATALOGUE_PRIMALS: Final[Mapping[str, Primal]] = MappingProxyType(
    {
        "GJ-02": Primal("3*x**2*y", ("x", "y")),
        "GJ-03": Primal("2*x + y**8", ("x", "y")),
        "GJ-04": Primal(("3*x**2*y", "2*x + y**8"), ("x", "y")),
        "GJ-05": Primal("x**2 + cos(y)", ("x", "y")),
        "GJ-06": Primal(("2*x + y**3", "exp(y) - 13*x"), ("x", "y")),
        "GJ-10": Primal(("sin(x**2 + y)", "log(y**3)"), ("x", "y")),
        "CR-06": Primal(("log(x**2)", "sin(3*x)"), ("x",)),
    }
)


# -- the exercises of the set `jacobians` ------------------------------------------------------


def grad_3x2y(x: float, y: float) -> Array:
    """GJ-02: the gradient of 3x^2 y, [6xy, 3x^2], shape (2,)."""
    return np.array([6.0 * x * y, 3.0 * x * x])


def grad_x2_cos_y(x: float, y: float) -> Array:
    """GJ-05, ER-01: the gradient of x^2 + cos(y), [2x, -sin(y)], shape (2,)."""
    return np.array([2.0 * x, -math.sin(y)])


def jacobian_3x2y_2x_y8(x: float, y: float) -> Array:
    """GJ-04: the Jacobian of [3x^2 y, 2x + y^8], [[6xy, 3x^2], [2, 8y^7]], shape (2, 2)."""
    return np.array([[6.0 * x * y, 3.0 * x * x], [2.0, 8.0 * y**7]])


def jacobian_2x_y3(x: float, y: float) -> Array:
    """GJ-06: the Jacobian of [2x + y^3, e^y - 13x], [[2, 3y^2], [-13, e^y]], shape (2, 2)."""
    return np.array([[2.0, 3.0 * y * y], [-13.0, math.exp(y)]])


def jacobian_sin_ln(x: float, y: float) -> Array:
    """GJ-10, ER-03..05: Jacobian of [sin(x^2+y), ln(y^3)], [[2xc, c], [0, 3/y]], c = cos(x^2+y)."""
    c = math.cos(x * x + y)
    return np.array([[2.0 * x * c, c], [0.0, 3.0 / y]])


def jacobian_identity(x: Array) -> Array:
    """GJ-08: the Jacobian of f(x) = x for x of shape (n,), the identity I_n."""
    return np.eye(np.shape(x)[0])


def d_ln_x2_sin_3x(x: float) -> Array:
    """CR-06: d/dx [ln(x^2), sin(3x)] = [2/x, 3 cos(3x)], shape (2,)."""
    return np.array([2.0 / x, 3.0 * math.cos(3.0 * x)])


# -- their primals -----------------------------------------------------------------------------


def three_x2_y(x: float, y: float) -> float:
    """Primal of GJ-02 and SC-09: 3x^2 y."""
    return 3.0 * x * x * y


def two_x_plus_y8(x: float, y: float) -> float:
    """Primal of GJ-03: 2x + y^8."""
    return 2.0 * x + y**8


def x2_plus_cos_y(x: float, y: float) -> float:
    """Primal of GJ-05: x^2 + cos(y)."""
    return x * x + math.cos(y)


def vec_3x2y_2x_y8(x: float, y: float) -> Array:
    """Primal of GJ-04: [3x^2 y, 2x + y^8]."""
    return np.array([three_x2_y(x, y), two_x_plus_y8(x, y)])


def vec_2x_y3(x: float, y: float) -> Array:
    """Primal of GJ-06: [2x + y^3, e^y - 13x]."""
    return np.array([2.0 * x + y**3, math.exp(y) - 13.0 * x])


def vec_sin_ln(x: float, y: float) -> Array:
    """Primal of GJ-10: [sin(x^2 + y), ln(y^3)] (y > 0)."""
    return np.array([math.sin(x * x + y), math.log(y**3)])


def identity(x: Array) -> Array:
    """Primal of GJ-08: f(x) = x (a copy)."""
    return np.array(x, dtype=np.float64)


def ln_x2_sin_3x(x: float) -> Array:
    """Primal of CR-06: [ln(x^2), sin(3x)]."""
    return ln_x2_sin_kx(x, 3.0)


def ln_x2_sin_kx(x: float, k: float) -> Array:
    """Primal of CR-06 with inner term kx (S002 uses k = 4): [ln(x^2), sin(kx)]."""
    return np.array([math.log(x * x), math.sin(k * x)])


# -- the other entries of group GJ and CR-06 ---------------------------------------------------


def grad_2x_y8(x: float, y: float) -> Array:
    """GJ-03: the gradient of 2x + y^8, [2, 8y^7]."""
    return np.array([2.0, 8.0 * y**7])


def jacobian_from_gradients(gradients: Sequence[Array]) -> Array:
    """GJ-07: the Jacobian stacks the gradients of f_1..f_m as its rows, shape (m, n)."""
    return np.array(np.vstack([np.asarray(g, dtype=np.float64) for g in gradients]))


def derivative_shape(m: int | None, n: int | None) -> tuple[int, ...]:
    """GJ-09 under K2: the shape of d f / d x for f in R^m, x in R^n (None for a scalar)."""
    if m is None:
        return () if n is None else (n,)
    return (m,) if n is None else (m, n)


def dF_dg_sin_ln(x: float, y: float) -> Array:
    """GJ-10, ER-03: dF/dg for F = [sin g1, ln g2] at g = [x^2 + y, y^3], diag(cos g1, 1/g2)."""
    return np.diag([math.cos(x * x + y), 1.0 / y**3])


def dg_dxy_sin_ln(x: float, y: float) -> Array:
    """GJ-10, ER-04: dg/d(x, y) for g = [x^2 + y, y^3], [[2x, 1], [0, 3y^2]]."""
    return np.array([[2.0 * x, 1.0], [0.0, 3.0 * y * y]])


def jacobian_sin_ln_chain(x: float, y: float) -> Array:
    """GJ-10, ER-05: the Jacobian of [sin(x^2+y), ln(y^3)] as the product (dF/dg)(dg/d(x, y))."""
    return np.array(dF_dg_sin_ln(x, y) @ dg_dxy_sin_ln(x, y))


def d_ln_x2_sin_kx(x: float, k: float) -> Array:
    """CR-06 by CR-07: diag(1/g1, cos g2) [2x, k] = [2/x, k cos(kx)], g = (x^2, kx)."""
    g1, g2 = x * x, k * x
    return np.array(np.diag([1.0 / g1, math.cos(g2)]) @ np.array([2.0 * x, k]))
