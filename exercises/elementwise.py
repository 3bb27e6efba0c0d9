"""Set `elementwise`: element-wise operations and scalar expansion (P&H §4.2-§4.3; Dhaller's notes §3.2).

w and x have shape (n,), n = 1..6; z is a float.  Each returns a pair of full Jacobians (K4).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from exercises._relations import off_diagonal_zero
from grader.exercise import Exercise, FiniteDifference, Mistake
from reference import elementwise as ref

SET = "elementwise"
SECTION = "P&H §4.2 (element-wise binary operators); Dhaller's notes §3.2"
PAIR = ("dy/dw", "dy/dx")


def _pair(*, x_min_magnitude: float = 0.0, ties: bool = True) -> Any:
    from hypothesis import strategies as st

    from grader.exercise import strategies

    if x_min_magnitude:
        second = strategies.elements(min_value=-10, max_value=10, min_magnitude=x_min_magnitude)
    elif not ties:
        second = strategies.elements(min_magnitude=1e-3)  # the gap x - w
    else:
        second = None

    @st.composite
    def draw(draw: Any) -> dict[str, Any]:
        n = strategies.side(draw)
        w, x = strategies.arrays(draw, ((n,), None), ((n,), second))
        if not x_min_magnitude and not ties:
            gap = x
            # reflected where w + gap would leave [-10, 10]: w - gap then lies in it (K11)
            gap = np.where(np.abs(w + gap) > 10, -gap, gap)
            x = w + gap
            # w + gap rounds: move x out by ulps until |x - w| >= 1e-3 holds exactly (no ties).
            while np.any(short := np.abs(x - w) < 1e-3):
                x = np.where(short, np.nextafter(x, np.where(gap > 0, np.inf, -np.inf)), x)
        return {"w": w, "x": x}

    return draw()


def _vector_and_scalar() -> Any:
    from grader.exercise import strategies

    return strategies.shaped(lambda n: {"x": ((n,), None)}, scalars=(("z", strategies.scalar()),))


def _relu_inputs() -> Any:
    from grader.exercise import strategies

    away = strategies.elements(min_magnitude=strategies.MARGIN, kink=True)
    return strategies.shaped(lambda n: {"x": ((n,), away)})


def _binary(
    name: str,
    op: str,
    primal: Any,
    reference: Any,
    catalogue: str,
    mistakes: tuple[Mistake, ...],
    **inputs: Any,
) -> Exercise:
    return Exercise(
        name=name,
        set=SET,
        params=("w", "x"),
        task=f"Return the pair of Jacobians (dy/dw, dy/dx) of y = {op}, each (n, n) (K4).",
        section=SECTION,
        catalogue=(catalogue,),
        results=PAIR,
        inputs=lambda: _pair(**inputs),
        reference=reference,
        primal=primal,
        primal_name=f"y = {op}",
        finite_differences=(FiniteDifference("dy/dw", "w"), FiniteDifference("dy/dx", "x")),
        identities=(off_diagonal_zero(),),
        mistakes=mistakes,
    )


def _relu_at(x: Any, d: float) -> Any:
    return np.diag(np.where(x > 0, 1.0, np.where(x == 0, d, 0.0)))


def _relu_kink() -> list[dict[str, Any]]:
    return [{"x": np.array([0.0])}, {"x": np.array([2.0, 0.0, -1.5])}]


EXERCISES = (
    _binary(
        "jac_add",
        "w + x",
        lambda w, x: w + x,
        ref.jac_add,
        "EW-03",
        (
            Mistake(
                "shape",
                "you returned vectors of ones; return identity matrices",
                lambda w, x: (np.ones(w.size), np.ones(x.size)),
            ),
        ),
    ),
    _binary(
        "jac_sub",
        "w - x",
        lambda w, x: w - x,
        ref.jac_sub,
        "EW-04",
        (
            Mistake(
                "sign",
                "dy/dx of w - x is -I: the sign of the second argument is lost",
                lambda w, x: (np.eye(w.size), np.eye(x.size)),
            ),
        ),
    ),
    _binary(
        "jac_mul",
        "w * x (Hadamard product)",
        lambda w, x: w * x,
        ref.jac_mul,
        "EW-05",
        (
            Mistake(
                "swapped-arguments",
                "dy/dw is diag(x), not diag(w): the arguments are swapped",
                lambda w, x: (np.diag(w), np.diag(x)),
            ),
            Mistake(
                "wrong-rule",
                "an outer product is not the Jacobian of a Hadamard product",
                lambda w, x: (np.outer(x, x), np.outer(w, w)),
            ),
        ),
    ),
    _binary(
        "jac_div",
        "w / x (element-wise)",
        lambda w, x: w / x,
        ref.jac_div,
        "EW-06",
        (
            Mistake(
                "wrong-variable",
                "dy/dw is diag(1/x), not diag(1/w)",
                lambda w, x: (np.diag(1 / w), np.diag(-w / x**2)),
            ),
            Mistake(
                "sign",
                "dy/dx of w / x is -w / x^2",
                lambda w, x: (np.diag(1 / x), np.diag(w / x**2)),
            ),
            Mistake(
                "wrong-rule",
                "w was dropped from dy/dx = -w / x^2",
                lambda w, x: (np.diag(1 / x), np.diag(-1 / x**2)),
            ),
            Mistake(
                "wrong-rule",
                "the power rule on x^-1: d/dx (w / x) = -w / x^2, not -w / x",
                lambda w, x: (np.diag(1 / x), np.diag(-w / x)),
            ),
        ),
        x_min_magnitude=0.1,
    ),
    _binary(
        "jac_max",
        "max(w, x) (element-wise)",
        np.maximum,
        ref.jac_max,
        "EW-07",
        (
            Mistake(
                "missing-mask",
                "the max routes the gradient to one argument only: 1[w > x] and 1[x > w]",
                lambda w, x: (np.eye(w.size), np.eye(x.size)),
            ),
            Mistake(
                "swapped-arguments",
                "the masks are swapped",
                lambda w, x: (np.diag((x > w) * 1.0), np.diag((w > x) * 1.0)),
            ),
        ),
        ties=False,
    ),
    Exercise(
        name="jac_relu",
        set=SET,
        params=("x",),
        task="Return the Jacobian of y = max(0, x) applied element-wise, one (n, n) matrix (K3, K4).",
        section="P&H §5 (the aside on broadcasting; mind erratum ER-29)",
        catalogue=("EW-09",),
        results=("dy/dx",),
        inputs=_relu_inputs,
        reference=ref.jac_relu,
        pre_activations=lambda x: x,
        extra={"masked": lambda x, mask: np.diag(mask.astype(float))},
        primal=lambda x: np.maximum(0.0, x),
        primal_name="y = max(0, x)",
        finite_differences=(FiniteDifference("dy/dx", "x"),),
        identities=(off_diagonal_zero(),),
        mistakes=(
            Mistake(
                "missing-mask",
                "the mask is missing: this is the identity",
                lambda x: np.eye(x.size),
            ),
            Mistake("wrong-rule", "you returned diag(x), not the 0/1 mask", lambda x: np.diag(x)),
            Mistake(
                "missing-mask",
                "sign(x) is not the ReLU mask: it is 0 or 1, never -1",
                lambda x: np.diag(np.sign(x)),
            ),
        ),
        kink=_relu_kink,
        kink_reference=_relu_at,
    ),
    Exercise(
        name="jac_scalar_add",
        set=SET,
        params=("x", "z"),
        task="Return (dy/dx, dy/dz) for y = x + z with z a scalar: an (n, n) matrix and an (n,) vector.",
        section="P&H §4.3 (scalar expansion)",
        catalogue=("SE-01",),
        results=("dy/dx", "dy/dz"),
        inputs=_vector_and_scalar,
        reference=ref.jac_scalar_add,
        primal=lambda x, z: x + z,
        primal_name="y = x + z",
        finite_differences=(FiniteDifference("dy/dx", "x"), FiniteDifference("dy/dz", "z")),
        identities=(off_diagonal_zero("dy/dx"),),
    ),
    Exercise(
        name="jac_scalar_mul",
        set=SET,
        params=("x", "z"),
        task="Return (dy/dx, dy/dz) for y = x * z with z a scalar: an (n, n) matrix and an (n,) vector.",
        section="P&H §4.3 (scalar expansion)",
        catalogue=("SE-02",),
        results=("dy/dx", "dy/dz"),
        inputs=_vector_and_scalar,
        reference=ref.jac_scalar_mul,
        primal=lambda x, z: x * z,
        primal_name="y = x * z",
        finite_differences=(FiniteDifference("dy/dx", "x"), FiniteDifference("dy/dz", "z")),
        identities=(off_diagonal_zero("dy/dx"),),
        mistakes=(
            Mistake(
                "wrong-variable",
                "dy/dz of x * z is x: you returned z",
                lambda x, z: (z * np.eye(x.size), z * np.ones(x.size)),
            ),
            Mistake(
                "swapped-arguments",
                "dy/dx is z I and dy/dz is x; yours are the other way round",
                lambda x, z: (np.diag(x), z * np.ones(x.size)),
            ),
        ),
    ),
)
