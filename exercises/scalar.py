"""Set `scalar`: derivatives of scalar functions (P&H §2, §4.5.1-4.5.2; Dhaller's notes §1.5.3).

Each exercise is declared through the exercise-pack API (grader/pack/, docs/exercise-packs.md),
as an instructor declares one: its sympy primal (reference/scalar.py), the domain of x and the
classic wrong answers of catalogue.md §4; everything else is derived.
"""

from __future__ import annotations

import math
from typing import Any

from grader.exercise import Mistake
from grader.pack import Pack, anything, custom, nonzero, scalar
from reference.scalar import PRIMALS

SET = "scalar"
pack = Pack(SET)


def _away_from_sine_zeros() -> Any:
    """x with |x| <= 3 and |sin(x^3)| >= 0.1: x^3 = k pi + t, t in [asin 0.1, pi - asin 0.1]."""
    from hypothesis import strategies as st

    low = math.asin(0.1) + 1e-9
    return st.builds(
        lambda k, t: math.copysign(abs(k * math.pi + t) ** (1 / 3), k * math.pi + t),
        st.integers(min_value=-8, max_value=7),
        st.floats(min_value=low, max_value=math.pi - low),
    )


pack.add(
    "d_ln_x2",
    params=[scalar("x", nonzero(0.1))],
    sympy=PRIMALS["d_ln_x2"].source,
    task="Return the derivative of ln(x^2) with respect to x, for x != 0.",
    section="P&H §2 (the chain rule example)",
    catalogue=("SC-07",),
    mistakes=(
        Mistake(
            "chain-rule",
            "you returned 1/x^2: the inner derivative 2x is missing",
            lambda x: 1 / x**2,
        ),
    ),
)
pack.add(
    "d_sin_x2",
    params=[scalar("x", anything())],
    sympy=PRIMALS["d_sin_x2"].source,
    task="Return the derivative of sin(x^2) with respect to x.",
    section="P&H §4.5.1; Dhaller's notes §1.5.3",
    catalogue=("SC-10",),
    mistakes=(
        Mistake(
            "chain-rule",
            "you returned cos(x^2): the inner derivative 2x is missing",
            lambda x: math.cos(x**2),
        ),
        Mistake(
            "wrong-variable",
            "you evaluated cos at x instead of at u = x^2",
            lambda x: 2 * x * math.cos(x),
        ),
        Mistake(
            "wrong-rule",
            "d/du sin(u) is cos(u), not -sin(u)",
            lambda x: -2 * x * math.sin(x**2),
        ),
    ),
)
pack.add(
    "d_ln_sin_x3_sq",
    params=[scalar("x", custom(_away_from_sine_zeros, lambda x: abs(math.sin(x**3)) >= 0.1, -3, 3))],
    sympy=PRIMALS["d_ln_sin_x3_sq"].source,
    task="Return the derivative of ln(sin(x^3)^2) with respect to x, where sin(x^3) != 0.",
    section="P&H §4.5.1 (the four-step chain rule)",
    catalogue=("SC-11",),
    mistakes=(
        Mistake(
            "chain-rule",
            "the chain stopped early at 1/sin(x^3)^2",
            lambda x: 1 / math.sin(x**3) ** 2,
        ),
        Mistake(
            "chain-rule",
            "the factor 1/u3 of the logarithm is missing",
            lambda x: 6 * x**2 * math.cos(x**3) * math.sin(x**3),
        ),
        Mistake(
            "chain-rule",
            "the innermost factor 3x^2 is missing",
            lambda x: 2 * math.cos(x**3) / math.sin(x**3),
        ),
        Mistake(
            "wrong-rule",
            "d/du ln(sin u) is cos(u)/sin(u) = cot(u), not tan(u)",
            lambda x: 6 * x**2 * math.tan(x**3),
        ),
    ),
)
pack.add(
    "d_x_plus_x2",
    params=[scalar("x", anything())],
    sympy=PRIMALS["d_x_plus_x2"].source,
    task="Return the derivative of x + x^2 with respect to x (use the total derivative).",
    section="P&H §4.5.2",
    catalogue=("CR-01",),
    mistakes=(
        Mistake(
            "chain-rule",
            "only the path through x^2 is counted; the direct path of x is missing",
            lambda x: 2 * x,
        ),
        Mistake("wrong-rule", "d/dx x^2 is 2x (the power rule), not x", lambda x: 1 + x),
    ),
)
pack.add(
    "d_sin_x_plus_x2",
    params=[scalar("x", anything())],
    sympy=PRIMALS["d_sin_x_plus_x2"].source,
    task="Return the derivative of sin(x + x^2) with respect to x.",
    section="P&H §4.5.2",
    catalogue=("CR-04",),
    mistakes=(
        Mistake(
            "chain-rule",
            "the inner derivative (1 + 2x) is missing",
            lambda x: math.cos(x + x**2),
        ),
        Mistake(
            "chain-rule",
            "the direct path of x is missing: the inner derivative is 1 + 2x, not 2x",
            lambda x: math.cos(x + x**2) * 2 * x,
        ),
        Mistake(
            "wrong-variable",
            "you evaluated cos at x instead of at u = x + x^2",
            lambda x: math.cos(x) * (1 + 2 * x),
        ),
    ),
)
pack.add(
    "d_x_times_x2",
    params=[scalar("x", anything())],
    sympy=PRIMALS["d_x_times_x2"].source,
    task="Return the derivative of x * x^2 with respect to x (do not simplify first).",
    section="P&H §4.5.2",
    catalogue=("CR-05",),
    mistakes=(
        Mistake("chain-rule", "only one of the two paths of x is counted", lambda x: 2 * x**2),
        Mistake("chain-rule", "only one of the two paths of x is counted", lambda x: x**2),
        Mistake("wrong-rule", "the power rule was misapplied", lambda x: 3 * x),
        Mistake("wrong-rule", "x * x^2 = x^3, whose derivative is 3x^2, not 2x", lambda x: 2 * x),
    ),
)

EXERCISES = pack.exercises
