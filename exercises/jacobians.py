"""Set `jacobians`: gradients and Jacobians (P&H §3-§4.1, §4.5.3; Dhaller's notes §1.5).

Declared through the exercise-pack API (grader/pack/, docs/exercise-packs.md): all but
`jacobian_identity` by their sympy primal (reference/jacobians.py), `jacobian_identity` in
numpy form.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from grader.exercise import Mistake
from grader.pack import Pack, anything, interval, nonzero, scalar, size, vector
from reference.jacobians import PRIMALS, jacobian_identity

SET = "jacobians"
pack = Pack(SET)
_N = size("n", 1, 6)


def _outer_jacobian(x: float, y: float) -> Any:
    """dF/dg for F = [sin(g1), ln(g2)] at g = (x^2 + y, y^3): diag(cos g1, 1/g2)."""
    return np.diag([math.cos(x**2 + y), 1 / y**3])


def _inner_jacobian(x: float, y: float) -> Any:
    """dg/d(x, y) for g = (x^2 + y, y^3)."""
    return np.array([[2 * x, 1.0], [0.0, 3 * y**2]])


pack.add(
    "grad_3x2y",
    params=[scalar("x", anything()), scalar("y", anything())],
    sympy=PRIMALS["grad_3x2y"].source,
    task="Return the gradient of f(x, y) = 3 x^2 y as an array [df/dx, df/dy].",
    section="P&H §3",
    catalogue=("GJ-02", "SC-09"),
    mistakes=(
        Mistake(
            "wrong-variable",
            "y was dropped from df/dx",
            lambda x, y: np.array([6 * x, 3 * x**2]),
        ),
        Mistake(
            "swapped-arguments",
            "the two partials are in the wrong order",
            lambda x, y: np.array([3 * x**2, 6 * x * y]),
        ),
        Mistake(
            "wrong-rule",
            "y was not differentiated in df/dy: d/dy 3x^2 y is 3x^2",
            lambda x, y: np.array([6 * x * y, 3 * x**2 * y]),
        ),
    ),
)
pack.add(
    "grad_x2_cos_y",
    params=[scalar("x", anything()), scalar("y", anything())],
    sympy=PRIMALS["grad_x2_cos_y"].source,
    task="Return the gradient of f(x, y) = x^2 + cos(y) as an array [df/dx, df/dy].",
    section="Dhaller's notes §1.5.1 (mind the erratum ER-01)",
    catalogue=("GJ-05",),
    mistakes=(
        Mistake(
            "wrong-variable",
            "you wrote -sin(x) for df/dy, as Dhaller's notes do (erratum ER-01)",
            lambda x, y: np.array([2 * x, -math.sin(x)]),
        ),
        Mistake("sign", "d/dy cos(y) is -sin(y)", lambda x, y: np.array([2 * x, math.sin(y)])),
        Mistake("wrong-rule", "d/dx x^2 is 2x", lambda x, y: np.array([2.0, -math.sin(y)])),
        Mistake(
            "wrong-rule", "d/dy cos(y) is -sin(y), not cos(y)", lambda x, y: np.array([2 * x, math.cos(y)])
        ),
        Mistake(
            "swapped-arguments",
            "the two partials are in the wrong order",
            lambda x, y: np.array([-math.sin(y), 2 * x]),
        ),
    ),
)
pack.add(
    "jacobian_3x2y_2x_y8",
    params=[scalar("x", anything()), scalar("y", interval(-3, 3))],
    sympy=PRIMALS["jacobian_3x2y_2x_y8"].source,
    task="Return the Jacobian of F(x, y) = [3 x^2 y, 2x + y^8] (numerator layout, K1).",
    section="P&H §4 and §4.1",
    catalogue=("GJ-04",),
    mistakes=(
        Mistake(
            "wrong-rule",
            "the power rule was misapplied to y^8",
            lambda x, y: np.array([[6 * x * y, 3 * x**2], [2.0, 8 * y**8]]),
        ),
        Mistake(
            "wrong-rule",
            "2x was not differentiated: d/dx (2x + y^8) is 2",
            lambda x, y: np.array([[6 * x * y, 3 * x**2], [2 * x, 8 * y**7]]),
        ),
    ),
)
pack.add(
    "jacobian_2x_y3",
    params=[scalar("x", anything()), scalar("y", anything())],
    sympy=PRIMALS["jacobian_2x_y3"].source,
    task="Return the Jacobian of F(x, y) = [2x + y^3, e^y - 13x] (numerator layout, K1).",
    section="Dhaller's notes §1.5.2",
    catalogue=("GJ-06",),
    mistakes=(
        Mistake(
            "sign",
            "d/dx (e^y - 13x) is -13",
            lambda x, y: np.array([[2.0, 3 * y**2], [13.0, math.exp(y)]]),
        ),
        Mistake(
            "wrong-rule",
            "y^3 was not differentiated",
            lambda x, y: np.array([[2.0, y**3], [-13.0, math.exp(y)]]),
        ),
        Mistake(
            "wrong-rule",
            "the power rule was misapplied: d/dy y^3 is 3y^2",
            lambda x, y: np.array([[2.0, 3 * y], [-13.0, math.exp(y)]]),
        ),
        Mistake(
            "wrong-variable",
            "d/dy e^y is e^y: you took e^x",
            lambda x, y: np.array([[2.0, 3 * y**2], [-13.0, math.exp(x)]]),
        ),
    ),
)
pack.add(
    "jacobian_sin_ln",
    params=[scalar("x", anything()), scalar("y", interval(0.1, 10))],
    sympy=PRIMALS["jacobian_sin_ln"].source,
    task="Return the Jacobian of F(x, y) = [sin(x^2 + y), ln(y^3)] for y > 0 (K1).",
    section="Dhaller's notes §1.5.4 (mind the errata ER-03 to ER-05)",
    catalogue=("GJ-10",),
    mistakes=(
        Mistake(
            "chain-rule",
            "the bottom-right entry is y^3, as Dhaller's notes print it (ER-05)",
            lambda x, y: np.array([[2 * x * math.cos(x**2 + y), math.cos(x**2 + y)], [0.0, y**3]]),
        ),
        Mistake(
            "chain-rule",
            "d/dy ln(y^3) is missing the inner factor 3y^2",
            lambda x, y: np.array([[2 * x * math.cos(x**2 + y), math.cos(x**2 + y)], [0.0, 1 / y**3]]),
        ),
        Mistake(
            "chain-rule",
            "d/dy ln(y^3) is missing the outer factor 1/y^3",
            lambda x, y: np.array([[2 * x * math.cos(x**2 + y), math.cos(x**2 + y)], [0.0, 3 * y**2]]),
        ),
        Mistake(
            "chain-rule",
            "d/dx sin(x^2 + y) is missing the inner derivative 2x",
            lambda x, y: np.array([[math.cos(x**2 + y), math.cos(x**2 + y)], [0.0, 3 / y]]),
        ),
        Mistake(
            "chain-rule",
            "the top-right entry forgets that x^2 + y depends on y",
            lambda x, y: np.array([[2 * x * math.cos(x**2 + y), 0.0], [0.0, 3 / y]]),
        ),
        Mistake(
            "chain-rule",
            "the factors are in the wrong order: (dg/d(x, y)) (dF/dg) instead of (dF/dg) (dg/d(x, y))",
            lambda x, y: _inner_jacobian(x, y) @ _outer_jacobian(x, y),
        ),
    ),
)
pack.add(
    "jacobian_identity",
    params=[vector("x", _N)],
    value=vector("f", _N),
    results="Jacobian",
    numpy=lambda x: x.copy(),
    derivative=jacobian_identity,
    primal_name="f(x) = x",
    task="Return the Jacobian of f(x) = x for x of shape (n,), an (n, n) array.",
    section="P&H §4.1",
    catalogue=("GJ-08",),
    mistakes=(
        Mistake(
            "wrong-rule",
            "an all-ones matrix is not the identity",
            lambda x: np.ones((x.size, x.size)),
        ),
    ),
)
pack.add(
    "d_ln_x2_sin_3x",
    params=[scalar("x", nonzero(0.1))],
    sympy=PRIMALS["d_ln_x2_sin_3x"].source,
    task="Return the derivative of the vector [ln(x^2), sin(3x)] with respect to the scalar x, shape (2,).",
    section="P&H §4.5.3",
    catalogue=("CR-06",),
    mistakes=(
        Mistake(
            "chain-rule",
            "the inner derivative 2x of ln(x^2) is missing",
            lambda x: np.array([1 / x**2, 3 * math.cos(3 * x)]),
        ),
        Mistake(
            "chain-rule",
            "the inner derivative 3 of sin(3x) is missing",
            lambda x: np.array([2 / x, math.cos(3 * x)]),
        ),
        Mistake(
            "swapped-arguments",
            "the two entries are in the wrong order: ln(x^2) first, then sin(3x)",
            lambda x: np.array([3 * math.cos(3 * x), 2 / x]),
        ),
        Mistake(
            "factor",
            "d/dx ln(x^2) is 2/x, not 1/x: the power 2 of x^2 comes down",
            lambda x: np.array([1 / x, 3 * math.cos(3 * x)]),
        ),
        Mistake(
            "wrong-rule",
            "d/du sin(u) is cos(u), not -sin(u)",
            lambda x: np.array([2 / x, -3 * math.sin(3 * x)]),
        ),
    ),
)

EXERCISES = pack.exercises
