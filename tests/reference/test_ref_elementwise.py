"""reference.elementwise: the set `elementwise` (EW, SE) and the rest of groups EW and SE."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference import elementwise as ew
from reference.misc import softmax, softmax_jacobian

from .finite_differences import (
    PIECEWISE_STEP,
    SMOOTH_STEP,
    assert_close,
    assert_matches_differences,
    kink_distance,
)
from .inputs import (
    FEW,
    MARGIN,
    SETTINGS,
    away_from_zero,
    reals,
    sizes,
    untied_pairs,
    vector_pairs,
    vectors,
)


@st.composite
def divisor_pairs(draw: Any) -> Any:
    """(w, x) with |x_i| >= 0.1."""
    n = draw(sizes())
    return draw(vectors(n)), draw(vectors(n, away_from_zero(0.1, 10.0)))


@st.composite
def relu_inputs(draw: Any) -> Any:
    """(x,) with |x_i| >= MARGIN."""
    return (draw(st.integers(1, 6).flatmap(lambda n: vectors(n, away_from_zero(MARGIN)))),)


@st.composite
def vector_and_scalar(draw: Any, z: st.SearchStrategy[float] | None = None) -> Any:
    """(x, z) with x of shape (n,) and z a float."""
    return draw(st.integers(1, 6).flatmap(vectors)), draw(z if z is not None else reals())


@st.composite
def vector_and_scalar_nonzero_x(draw: Any) -> Any:
    """(x, z) with |x_i| >= 0.1."""
    x = draw(st.integers(1, 6).flatmap(lambda n: vectors(n, away_from_zero(0.1, 10.0))))
    return x, draw(reals())


def _max_kinks(args: tuple[Any, ...], wrt: int) -> Any:
    """Distances to the ties w_i = x_i, along w or x alike."""
    w, x = args
    return kink_distance(w - x, np.eye(len(w)))


def _relu_kinks(args: tuple[Any, ...], wrt: int) -> Any:
    """Distances to the kinks x_i = 0."""
    (x,) = args
    return kink_distance(x, np.eye(len(x)))


@dataclass(frozen=True)
class Op:
    """A Jacobian reference, the primal it differentiates, its inputs and its kinks."""

    jac: Callable[..., Any]
    primal: Callable[..., Any]
    inputs: st.SearchStrategy[Any]
    kinks: Callable[[tuple[Any, ...], int], Any] | None = None


OPS: dict[str, Op] = {
    "jac_add": Op(ew.jac_add, ew.add, vector_pairs()),
    "jac_sub": Op(ew.jac_sub, ew.sub, vector_pairs()),
    "jac_mul": Op(ew.jac_mul, ew.mul, vector_pairs()),
    "jac_div": Op(ew.jac_div, ew.div, divisor_pairs()),
    "jac_max": Op(ew.jac_max, ew.maximum, untied_pairs(), _max_kinks),
    "jac_relu": Op(ew.jac_relu, ew.relu, relu_inputs(), _relu_kinks),
    "jac_scalar_add": Op(ew.jac_scalar_add, ew.scalar_add, vector_and_scalar()),
    "jac_scalar_mul": Op(ew.jac_scalar_mul, ew.scalar_mul, vector_and_scalar()),
    "jac_scalar_sub": Op(ew.jac_scalar_sub, ew.scalar_sub, vector_and_scalar()),
    "jac_scalar_rsub": Op(ew.jac_scalar_rsub, ew.scalar_rsub, vector_and_scalar()),
    "jac_scalar_div": Op(ew.jac_scalar_div, ew.scalar_div, vector_and_scalar(away_from_zero(0.1, 10.0))),
    "jac_scalar_rdiv": Op(ew.jac_scalar_rdiv, ew.scalar_rdiv, vector_and_scalar_nonzero_x()),
    "jac_double": Op(ew.jac_double, ew.double, st.tuples(st.integers(1, 6).flatmap(vectors))),
    "jac_greater": Op(ew.jac_greater, ew.greater, untied_pairs(), _max_kinks),
}


def test_the_exercises_of_the_set_are_all_tested() -> None:
    """Every exercise of the set `elementwise` is in the finite-difference table."""
    assert set(ew.EXERCISES) <= set(OPS)


@pytest.mark.parametrize("name", sorted(OPS))
@SETTINGS
@given(data=st.data())
def test_elementwise_jacobians_match_central_differences_of_the_primal(
    name: str, data: st.DataObject
) -> None:
    """Each Jacobian (one per argument, K10) agrees with central differences of y = op(...)."""
    op = OPS[name]
    args = tuple(data.draw(op.inputs))
    result = op.jac(*args)
    results = result if isinstance(result, tuple) else (result,)
    assert len(results) == len(args)
    for wrt, answer in enumerate(results):
        kinks = None if op.kinks is None else op.kinks(args, wrt)
        step = SMOOTH_STEP if kinks is None else PIECEWISE_STEP
        assert_matches_differences(answer, op.primal, args, wrt, h0=step, kink_distance=kinks)


SYMBOLIC_OPS = (
    "jac_add",
    "jac_sub",
    "jac_mul",
    "jac_div",
    "jac_max",
    "jac_relu",
    "jac_scalar_add",
    "jac_scalar_mul",
)


@cache
def _symbolic(name: str, n: int) -> tuple[Callable[..., Any], list[bool], bool]:
    """sympy's Jacobians of `name` at size n (of the exercise's arguments), which are by z, if diagonal."""
    import sympy

    w = list(sympy.symbols(f"w0:{n}", real=True))
    x = list(sympy.symbols(f"x0:{n}", real=True))
    z = sympy.Symbol("z", real=True)
    body: dict[str, tuple[list[Any], list[Any]]] = {
        "jac_add": ([w[i] + x[i] for i in range(n)], [w, x]),
        "jac_sub": ([w[i] - x[i] for i in range(n)], [w, x]),
        "jac_mul": ([w[i] * x[i] for i in range(n)], [w, x]),
        "jac_div": ([w[i] / x[i] for i in range(n)], [w, x]),
        "jac_max": ([sympy.Max(w[i], x[i]) for i in range(n)], [w, x]),
        "jac_relu": ([sympy.Max(0, x[i]) for i in range(n)], [x]),
        "jac_scalar_add": ([x[i] + z for i in range(n)], [x, z]),
        "jac_scalar_mul": ([x[i] * z for i in range(n)], [x, z]),
    }
    exprs, params = body[name]
    y = sympy.Matrix(exprs)
    # A derivative by the scalar z is the (n, 1) column, which K2 flattens to (n,).
    jacs = [y.jacobian(p) if isinstance(p, list) else y.diff(p).reshape(1, n) for p in params]
    square = [j for j in jacs if j.shape == (n, n)]
    by_scalar = [not isinstance(p, list) for p in params]
    return sympy.lambdify(params, jacs, modules="numpy"), by_scalar, all(j.is_diagonal() for j in square)


@pytest.mark.parametrize("name", SYMBOLIC_OPS)
@FEW
@given(data=st.data())
def test_elementwise_jacobians_equal_sympy_matrix_jacobians(name: str, data: st.DataObject) -> None:
    """Each Jacobian equals sympy's Matrix.jacobian at n = 1..3, which is diagonal (EW-02)."""
    op = OPS[name]
    args = tuple(data.draw(op.inputs))
    args = tuple(a[:3] if np.ndim(a) else a for a in args)
    fn, by_scalar, diagonal = _symbolic(name, len(args[0]))
    assert diagonal
    result = op.jac(*args)
    results = result if isinstance(result, tuple) else (result,)
    expected = fn(*args)
    assert len(results) == len(expected)
    for got, want, scalar in zip(results, expected, by_scalar, strict=True):
        want = np.array(want, dtype=float)
        assert_close(got, want.ravel() if scalar else want, rtol=1e-12, atol=1e-12)


@SETTINGS
@given(pair=vector_pairs())
def test_general_elementwise_product_jacobians_are_full_when_f_mixes_components(
    pair: tuple[np.ndarray, np.ndarray],
) -> None:
    """EW-01: y = softmax(w) * sin(x) has the full dy/dw = diag(sin x) J_softmax(w)."""
    w, x = pair
    jw, jx = ew.jac_hadamard_general(softmax(w), softmax_jacobian(w), np.sin(x), np.diag(np.cos(x)))

    def y(w_: np.ndarray, x_: np.ndarray) -> np.ndarray:
        return softmax(w_) * np.sin(x_)

    assert_matches_differences(jw, y, (w, x), 0)
    assert_matches_differences(jx, y, (w, x), 1)


@SETTINGS
@given(pair=vector_pairs())
def test_diagonal_jacobian_of_separable_maps_matches_central_differences(
    pair: tuple[np.ndarray, np.ndarray],
) -> None:
    """EW-02: for y_i = sin(w_i) x_i, dy/dw = diag(cos(w_i) x_i)."""
    w, x = pair
    answer = ew.diagonal_jacobian(np.cos(w) * x)
    assert_matches_differences(answer, lambda w_: np.sin(w_) * x, (w,), 0)


@SETTINGS
@given(pair=untied_pairs())
def test_max_routes_each_gradient_to_exactly_one_argument(
    pair: tuple[np.ndarray, np.ndarray],
) -> None:
    """EW-07, C-4: away from ties dmax/dw + dmax/dx = I, each diagonal entry 0 or 1."""
    jw, jx = ew.jac_max(*pair)
    assert_close(jw + jx, np.eye(len(pair[0])), rtol=0, atol=0)
    assert set(np.diag(jw)) <= {0.0, 1.0}


def test_relu_jacobian_at_the_kink_uses_h0_equal_to_zero() -> None:
    """K3: jac_relu at x = [0, 1, -1] is diag(0, 1, 0) (the reference convention H(0) = 0)."""
    assert_close(ew.jac_relu(np.array([0.0, 1.0, -1.0])), np.diag([0.0, 1.0, 0.0]), rtol=0)
