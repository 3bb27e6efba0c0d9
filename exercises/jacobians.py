"""Set `jacobians`: gradients and Jacobians (P&H §3-§4.1, §4.5.3; Dhaller's notes §1.5).

All but `jacobian_identity` are declared by their sympy primal (reference/jacobians.py).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from grader.exercise import Exercise, FiniteDifference, Mistake, any_value, from_primal, interval, nonzero
from reference.jacobians import PRIMALS, jacobian_identity

SET = "jacobians"


def _identity_inputs() -> Any:
    from grader.exercise import strategies

    return strategies.shaped(lambda n: {"x": ((n,), None)})


def _outer_jacobian(x: float, y: float) -> Any:
    """dF/dg for F = [sin(g1), ln(g2)] at g = (x^2 + y, y^3): diag(cos g1, 1/g2)."""
    return np.diag([math.cos(x**2 + y), 1 / y**3])


def _inner_jacobian(x: float, y: float) -> Any:
    """dg/d(x, y) for g = (x^2 + y, y^3)."""
    return np.array([[2 * x, 1.0], [0.0, 3 * y**2]])


EXERCISES = (
    from_primal(
        name="grad_3x2y",
        set=SET,
        primal=PRIMALS["grad_3x2y"],
        domains={"x": any_value(), "y": any_value()},
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
    ),
    from_primal(
        name="grad_x2_cos_y",
        set=SET,
        primal=PRIMALS["grad_x2_cos_y"],
        domains={"x": any_value(), "y": any_value()},
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
                "swapped-arguments",
                "the two partials are in the wrong order",
                lambda x, y: np.array([-math.sin(y), 2 * x]),
            ),
        ),
    ),
    from_primal(
        name="jacobian_3x2y_2x_y8",
        set=SET,
        primal=PRIMALS["jacobian_3x2y_2x_y8"],
        domains={"x": any_value(), "y": interval(-3, 3)},
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
    ),
    from_primal(
        name="jacobian_2x_y3",
        set=SET,
        primal=PRIMALS["jacobian_2x_y3"],
        domains={"x": any_value(), "y": any_value()},
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
        ),
    ),
    from_primal(
        name="jacobian_sin_ln",
        set=SET,
        primal=PRIMALS["jacobian_sin_ln"],
        domains={"x": any_value(), "y": interval(0.1, 10)},
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
                "the top-right entry forgets that x^2 + y depends on y",
                lambda x, y: np.array([[2 * x * math.cos(x**2 + y), 0.0], [0.0, 3 / y]]),
            ),
            Mistake(
                "chain-rule",
                "the factors are in the wrong order: (dg/d(x, y)) (dF/dg) instead of (dF/dg) (dg/d(x, y))",
                lambda x, y: _inner_jacobian(x, y) @ _outer_jacobian(x, y),
            ),
        ),
    ),
    Exercise(
        name="jacobian_identity",
        set=SET,
        params=("x",),
        task="Return the Jacobian of f(x) = x for x of shape (n,), an (n, n) array.",
        section="P&H §4.1",
        catalogue=("GJ-08",),
        results=("Jacobian",),
        inputs=_identity_inputs,
        reference=jacobian_identity,
        primal=lambda x: x.copy(),
        primal_name="f(x) = x",
        finite_differences=(FiniteDifference(result="Jacobian", param="x"),),
        mistakes=(
            Mistake(
                "wrong-rule",
                "an all-ones matrix is not the identity",
                lambda x: np.ones((x.size, x.size)),
            ),
        ),
    ),
    from_primal(
        name="d_ln_x2_sin_3x",
        set=SET,
        primal=PRIMALS["d_ln_x2_sin_3x"],
        domains={"x": nonzero(0.1)},
        task="Return the derivative of the vector [ln(x^2), sin(3x)] with respect to the scalar x, "
        "shape (2,).",
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
    ),
)
