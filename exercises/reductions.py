"""Set `reductions`: sums, dot products and the vector chain rule (P&H §4.4-§4.5.3)."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checking import Relation, close, leaf_pairs
from grader.exercise import Case, Exercise, FiniteDifference, Mistake, Verdict
from reference import reductions as ref

SET = "reductions"


def _vector() -> Any:
    from grader.exercise import strategies

    return strategies.shaped(lambda n: {"x": ((n,), None)})


def _vector_scalar() -> Any:
    from grader.exercise import strategies

    return strategies.shaped(lambda n: {"x": ((n,), None)}, scalars=(("z", strategies.scalar()),))


def _two_vectors() -> Any:
    from grader.exercise import strategies

    return strategies.shaped(lambda n: {"w": ((n,), None), "x": ((n,), None)})


def _jacobians() -> Any:
    from grader.exercise import strategies

    return strategies.shaped(lambda m, k, n: {"J_f": ((m, k), None), "J_g": ((k, n), None)}, sides=3)


def _composes(case: Case) -> Verdict | None:
    """(d f(g(x))/dx) v = J_f (J_g v) for every direction v: the chain rule for linear maps."""
    J_f, J_g = case.inputs["J_f"], case.inputs["J_g"]
    [(_label, expected, leaf)] = leaf_pairs(case)
    if leaf is None or leaf.values.size != expected.size:
        return None
    ok_all = True
    messages = []
    for j in range(J_g.shape[1]):
        v = np.zeros(J_g.shape[1])
        v[j] = 1.0
        want = J_f @ (J_g @ v)
        got = leaf.values.reshape(expected.shape) @ v
        ok, message = close(got, want, leaf, scale=np.abs(J_f) @ (np.abs(J_g) @ v))
        if not ok:
            ok_all = False
            messages.append(f"column {j}: {message}")
    if ok_all:
        return None
    return Verdict(
        message="applied to a unit vector e_j, your answer must equal J_f (J_g e_j):\n"
        + "\n".join(messages[:3]),
        expected=expected.tolist(),
        got=leaf.values.tolist(),
    )


EXERCISES = (
    Exercise(
        name="grad_sum",
        set=SET,
        params=("x",),
        task="Return the gradient of y = sum(x) with respect to x, shape (n,).",
        section="P&H §4.4 (vector sum reduction)",
        catalogue=("RD-02",),
        results=("dy/dx",),
        inputs=_vector,
        reference=ref.grad_sum,
        primal=lambda x: float(np.sum(x)),
        primal_name="y = sum(x)",
        finite_differences=(FiniteDifference("dy/dx", "x"),),
        mistakes=(
            Mistake(
                "wrong-rule",
                "you returned the identity matrix: the sum reduces it to a vector",
                lambda x: np.eye(x.size),
            ),
        ),
    ),
    Exercise(
        name="grad_sum_xz",
        set=SET,
        params=("x", "z"),
        task="Return (dy/dx, dy/dz) for y = sum(x * z) with z a scalar: shapes (n,) and a float.",
        section="P&H §4.4",
        catalogue=("RD-03",),
        results=("dy/dx", "dy/dz"),
        inputs=_vector_scalar,
        reference=ref.grad_sum_xz,
        primal=lambda x, z: float(np.sum(x * z)),
        primal_name="y = sum(x * z)",
        finite_differences=(FiniteDifference("dy/dx", "x"), FiniteDifference("dy/dz", "z")),
        mistakes=(
            Mistake(
                "wrong-variable",
                "dy/dx is z everywhere, not x",
                lambda x, z: (x.copy(), float(np.sum(x))),
            ),
            Mistake(
                "swapped-arguments",
                "the two results are swapped: dy/dx is z (each entry), dy/dz is sum(x)",
                lambda x, z: (np.full(x.size, float(np.sum(x))), float(z)),
            ),
        ),
    ),
    Exercise(
        name="grad_dot",
        set=SET,
        params=("w", "x"),
        task="Return (dy/dw, dy/dx) for y = w . x, each of shape (n,).",
        section="P&H §4.4 and §5 (the dot product)",
        catalogue=("RD-05",),
        results=("dy/dw", "dy/dx"),
        inputs=_two_vectors,
        reference=ref.grad_dot,
        primal=lambda w, x: float(w @ x),
        primal_name="y = w . x",
        finite_differences=(FiniteDifference("dy/dw", "w"), FiniteDifference("dy/dx", "x")),
        mistakes=(
            Mistake(
                "shape",
                "diag(x) is the Jacobian of w * x; the sum reduces it to a vector",
                lambda w, x: (np.diag(x), np.diag(w)),
            ),
        ),
    ),
    Exercise(
        name="vector_chain",
        set=SET,
        params=("J_f", "J_g"),
        task="Given J_f = df/dg (m, k) and J_g = dg/dx (k, n), return d f(g(x))/dx, shape (m, n).",
        section="P&H §4.5.3 (the vector chain rule)",
        catalogue=("CR-07",),
        results=("Jacobian",),
        inputs=_jacobians,
        reference=ref.vector_chain,
        # the worked example, then Jacobians on either side equal or close to the identity
        # (`if np.allclose(J, np.eye(n))` shortcuts), which a square draw seldom meets
        examples=lambda: [
            {"J_f": np.array([[1.0, 2.0], [0.0, 1.0]]), "J_g": np.array([[1.0, 0.0], [3.0, 1.0]])},
            {"J_f": np.eye(2), "J_g": np.array([[1.0, 2.0], [3.0, 4.0]])},
            {"J_f": np.array([[2.0]]), "J_g": np.array([[1.001]])},
        ],
        identities=(
            Relation(name="composes the linear maps: (J v) = J_f (J_g v) (P&H §4.5.3)", test=_composes),
        ),
        mistakes=(
            Mistake(
                "chain-rule",
                "the factors are multiplied in the wrong order (J_g J_f)",
                lambda J_f, J_g: J_g @ J_f,
            ),
            Mistake(
                "chain-rule",
                "an element-wise product is not the chain rule; use a matrix product",
                lambda J_f, J_g: J_f * J_g,
            ),
        ),
    ),
)
