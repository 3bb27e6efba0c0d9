"""Derivatives of scalar functions: the rules of group SC and the chain-rule examples CR-01..CR-05.

Everything here takes floats and returns a Python float.  The exercises of the set `scalar`
are listed in `EXERCISES`; `PRIMALS` gives each of them as a sympy formula in the exercise's
own variable names, and `CATALOGUE_PRIMALS` does the same for the other symbolic entries of
SC and CR-01..CR-05.  The numpy primals (`ln_x2`, ...) are the functions the derivatives are
of, for finite differences.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import numpy as np
from numpy.typing import NDArray

from reference.symbolic import Primal

__all__ = [
    "CATALOGUE_PRIMALS",
    "EXERCISES",
    "PRIMALS",
    "d_9_x_plus_x2",
    "d_chain",
    "d_constant",
    "d_constant_multiple",
    "d_difference",
    "d_ln_sin_x3_sq",
    "d_ln_sin_x3_sq_steps",
    "d_ln_x2",
    "d_power",
    "d_product",
    "d_sin_x2",
    "d_sin_x_plus_x2",
    "d_sum",
    "d_x_plus_x2",
    "d_x_plus_x2_total",
    "d_x_times_x2",
    "d_x_times_x2_total",
    "ln_sin_x3_sq",
    "ln_x2",
    "nine_x_plus_x2",
    "partials_3x2y",
    "secant_x_plus_x2",
    "sin_x2",
    "sin_x_plus_x2",
    "total_derivative",
    "x_plus_x2",
    "x_times_x2",
]

EXERCISES: Final[tuple[str, ...]] = (
    "d_ln_x2",
    "d_sin_x2",
    "d_ln_sin_x3_sq",
    "d_x_plus_x2",
    "d_sin_x_plus_x2",
    "d_x_times_x2",
)

PRIMALS: Final[Mapping[str, Primal]] = MappingProxyType(
    {
        "d_ln_x2": Primal("log(x**2)", ("x",)),
        "d_sin_x2": Primal("sin(x**2)", ("x",)),
        "d_ln_sin_x3_sq": Primal("log(sin(x**3)**2)", ("x",)),
        "d_x_plus_x2": Primal("x + x**2", ("x",)),
        "d_sin_x_plus_x2": Primal("sin(x + x**2)", ("x",)),
        "d_x_times_x2": Primal("x*x**2", ("x",)),
    }
)

CATALOGUE_PRIMALS: Final[Mapping[str, Primal]] = MappingProxyType(
    {
        "SC-01": Primal("99", ("x",)),
        "SC-02": Primal("3*x", ("x",)),
        "SC-03": Primal("x**3", ("x",)),
        "SC-04": Primal("x**2 + 3*x", ("x",)),
        "SC-05": Primal("x**2 - 3*x", ("x",)),
        "SC-06": Primal("x**2*x", ("x",)),
        "SC-07": Primal("log(x**2)", ("x",)),
        "SC-08": Primal("9*(x + x**2)", ("x",)),
        "SC-09": Primal("3*x**2*y", ("x", "y")),
        "SC-10": Primal("sin(x**2)", ("x",)),
        "SC-11": Primal("log(sin(x**3)**2)", ("x",)),
        "CR-01": Primal("x + x**2", ("x",)),
        "CR-03": Primal("x + x**2", ("x",)),
        "CR-04": Primal("sin(x + x**2)", ("x",)),
        "CR-05": Primal("x*x**2", ("x",)),
    }
)


# -- the exercises of the set `scalar` ---------------------------------------------------------


def d_ln_x2(x: float) -> float:
    """SC-07: d/dx ln(x^2) = 2/x (x != 0)."""
    return float(2.0 / x)


def d_sin_x2(x: float) -> float:
    """SC-10: d/dx sin(x^2) = 2x cos(x^2)."""
    return float(2.0 * x * math.cos(x * x))


def d_ln_sin_x3_sq(x: float) -> float:
    """SC-11: d/dx ln(sin(x^3)^2) = 6x^2 cos(x^3) / sin(x^3) (sin(x^3) != 0)."""
    u1 = x**3
    return float(6.0 * x * x * math.cos(u1) / math.sin(u1))


def d_x_plus_x2(x: float) -> float:
    """CR-01: d/dx (x + x^2) = 1 + 2x."""
    return float(1.0 + 2.0 * x)


def d_sin_x_plus_x2(x: float) -> float:
    """CR-04: d/dx sin(x + x^2) = cos(x + x^2) (1 + 2x)."""
    return float(math.cos(x + x * x) * (1.0 + 2.0 * x))


def d_x_times_x2(x: float) -> float:
    """CR-05: d/dx (x * x^2) = 3x^2."""
    return float(3.0 * x * x)


# -- their primals -----------------------------------------------------------------------------


def ln_x2(x: float) -> float:
    """Primal of SC-07: ln(x^2)."""
    return float(math.log(x * x))


def sin_x2(x: float) -> float:
    """Primal of SC-10: sin(x^2)."""
    return float(math.sin(x * x))


def ln_sin_x3_sq(x: float) -> float:
    """Primal of SC-11: ln(sin(x^3)^2)."""
    return float(math.log(math.sin(x**3) ** 2))


def x_plus_x2(x: float) -> float:
    """Primal of CR-01 and CR-03: x + x^2."""
    return float(x + x * x)


def sin_x_plus_x2(x: float) -> float:
    """Primal of CR-04: sin(x + x^2)."""
    return float(math.sin(x + x * x))


def x_times_x2(x: float) -> float:
    """Primal of CR-05 and SC-06: x * x^2."""
    return float(x * (x * x))


def nine_x_plus_x2(x: float) -> float:
    """Primal of SC-08: 9(x + x^2)."""
    return float(9.0 * (x + x * x))


# -- the rules of group SC ---------------------------------------------------------------------


def d_constant(x: float) -> float:
    """SC-01: d/dx c = 0, whatever x."""
    return 0.0


def d_constant_multiple(c: float, df: float) -> float:
    """SC-02: d/dx (c f) = c df/dx."""
    return float(c * df)


def d_power(x: float, n: float) -> float:
    """SC-03: d/dx x^n = n x^(n-1) (x > 0 for non-integer n)."""
    return float(n * x ** (n - 1.0))


def d_sum(df: float, dg: float) -> float:
    """SC-04: d/dx (f + g) = f' + g'."""
    return float(df + dg)


def d_difference(df: float, dg: float) -> float:
    """SC-05: d/dx (f - g) = f' - g'."""
    return float(df - dg)


def d_product(f: float, df: float, g: float, dg: float) -> float:
    """SC-06: d/dx (f g) = f g' + f' g."""
    return float(f * dg + df * g)


def d_chain(df_du: float, du_dx: float) -> float:
    """SC-07, SC-12: d/dx f(u(x)) = (df/du)(du/dx) along a single dataflow path."""
    return float(df_du * du_dx)


def d_9_x_plus_x2(x: float) -> float:
    """SC-08: d/dx 9(x + x^2) = 9(1 + 2x) = 9 + 18x."""
    return float(9.0 + 18.0 * x)


def partials_3x2y(x: float, y: float) -> tuple[float, float]:
    """SC-09: the partials of 3x^2 y, (d/dx, d/dy) = (6yx, 3x^2)."""
    return float(6.0 * y * x), float(3.0 * x * x)


def d_ln_sin_x3_sq_steps(x: float) -> float:
    """SC-11, SC-12, ER-35: ln(sin(x^3)^2) in 4 steps, du4/du3 du3/du2 du2/du1 du1/dx."""
    u1 = x**3
    u2 = math.sin(u1)
    u3 = u2 * u2
    du1_dx = 3.0 * x * x
    du2_du1 = math.cos(u1)
    du3_du2 = 2.0 * u2
    du4_du3 = 1.0 / u3
    return float(du4_du3 * du3_du2 * du2_du1 * du1_dx)


# -- the total-derivative chain rule (CR-01..CR-05) --------------------------------------------


def total_derivative(df_du: NDArray[np.float64], du_dx: NDArray[np.float64]) -> float:
    """CR-02: df/dx = sum_i (df/du_i)(du_i/dx) = (df/du)(du/dx), with u_(n+1) = x."""
    return float(np.dot(df_du, du_dx))


def d_x_plus_x2_total(x: float) -> float:
    """CR-01 by CR-02: u1 = x^2, u2 = x + u1; du2/dx = 1 * 2x + 1 * 1 (the paths are summed)."""
    df_du = np.array([1.0, 1.0])  # (du2/du1, du2/dx held u1 fixed)
    du_dx = np.array([2.0 * x, 1.0])  # (du1/dx, dx/dx)
    return total_derivative(df_du, du_dx)


def d_x_times_x2_total(x: float) -> float:
    """CR-05 by CR-02: u1 = x^2, u2 = x u1; du2/dx = x * 2x + u1 * 1 = 3x^2."""
    df_du = np.array([x, x * x])  # (du2/du1 = x, du2/dx held u1 fixed = u1)
    du_dx = np.array([2.0 * x, 1.0])
    return total_derivative(df_du, du_dx)


def secant_x_plus_x2(x: float, dx: float) -> float:
    """CR-03: the secant (f(x + dx) - f(x)) / dx of f = x + x^2, = 1 + 2x + dx (4 at x = dx = 1)."""
    return float((x_plus_x2(x + dx) - x_plus_x2(x)) / dx)
