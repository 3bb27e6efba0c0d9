"""reference.jacobians: the set `jacobians`, the rest of group GJ, and CR-06."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference import jacobians
from reference.jacobians import CATALOGUE_PRIMALS, EXERCISES, PRIMALS
from reference.symbolic import Primal

from .finite_differences import assert_close, assert_matches_differences, jacobian
from .inputs import FEW, SETTINGS, away_from_zero, reals, sizes, vectors

SYMBOLIC = tuple(name for name in EXERCISES if name != "jacobian_identity")

# Exercise -> (its numpy primal, a strategy of its arguments inside the domain).
CASES: dict[str, tuple[Callable[..., Any], st.SearchStrategy[tuple[float, ...]]]] = {
    "grad_3x2y": (jacobians.three_x2_y, st.tuples(reals(), reals())),
    "grad_x2_cos_y": (jacobians.x2_plus_cos_y, st.tuples(reals(), reals())),
    "jacobian_3x2y_2x_y8": (jacobians.vec_3x2y_2x_y8, st.tuples(reals(), reals(-3.0, 3.0))),
    "jacobian_2x_y3": (jacobians.vec_2x_y3, st.tuples(reals(), reals())),
    "jacobian_sin_ln": (jacobians.vec_sin_ln, st.tuples(reals(), reals(0.1, 10.0))),
    "d_ln_x2_sin_3x": (jacobians.ln_x2_sin_3x, st.tuples(away_from_zero(0.1, 10.0))),
}

STATED = {
    "grad_3x2y": ["6*x*y", "3*x**2"],
    "grad_x2_cos_y": ["2*x", "-sin(y)"],
    "jacobian_3x2y_2x_y8": [["6*x*y", "3*x**2"], ["2", "8*y**7"]],
    "jacobian_2x_y3": [["2", "3*y**2"], ["-13", "exp(y)"]],
    "jacobian_sin_ln": [["2*x*cos(x**2 + y)", "cos(x**2 + y)"], ["0", "3/y"]],
    "d_ln_x2_sin_3x": ["2/x", "3*cos(3*x)"],
}

CATALOGUE_RULES: dict[str, tuple[Callable[..., Any], st.SearchStrategy[tuple[float, ...]]]] = {
    "GJ-02": (jacobians.grad_3x2y, st.tuples(reals(), reals())),
    "GJ-03": (jacobians.grad_2x_y8, st.tuples(reals(), reals(-3.0, 3.0))),
    "GJ-04": (jacobians.jacobian_3x2y_2x_y8, st.tuples(reals(), reals(-3.0, 3.0))),
    "GJ-05": (jacobians.grad_x2_cos_y, st.tuples(reals(), reals())),
    "GJ-06": (jacobians.jacobian_2x_y3, st.tuples(reals(), reals())),
    "GJ-10": (jacobians.jacobian_sin_ln_chain, st.tuples(reals(), reals(0.1, 10.0))),
    "CR-06": (lambda x: jacobians.d_ln_x2_sin_kx(x, 3.0), st.tuples(away_from_zero(0.1, 10.0))),
}


def _joint(f: Callable[..., Any], arity: int) -> Callable[[np.ndarray], Any]:
    """f(x, y) as a function of the vector [x, y] (a scalar x stays a scalar)."""
    if arity == 1:
        return f
    return lambda v: f(*(float(t) for t in v))


def test_every_symbolic_exercise_has_a_primal_and_a_stated_answer() -> None:
    """PRIMALS covers the set `jacobians` but jacobian_identity, as do the test tables."""
    assert set(PRIMALS) == set(SYMBOLIC) == set(CASES) == set(STATED)
    assert set(CATALOGUE_PRIMALS) == set(CATALOGUE_RULES)


@pytest.mark.parametrize("name", SYMBOLIC)
@SETTINGS
@given(data=st.data())
def test_jacobian_reference_matches_central_differences_of_its_primal(name: str, data: st.DataObject) -> None:
    """Each gradient or Jacobian agrees with central differences of the primal in (x, y)."""
    primal, domain = CASES[name]
    point = data.draw(domain)
    at = np.array(point) if len(point) > 1 else point[0]
    expected = getattr(jacobians, name)(*point)
    assert_matches_differences(expected, _joint(primal, len(point)), (at,), 0)


@pytest.mark.parametrize("name", SYMBOLIC)
@SETTINGS
@given(data=st.data())
def test_jacobian_reference_equals_the_sympy_derivative_of_its_primal(name: str, data: st.DataObject) -> None:
    """Each hand-written gradient or Jacobian equals sympy's, in the exercise's shape."""
    _, domain = CASES[name]
    point = data.draw(domain)
    expected = PRIMALS[name].derivative_function()(*point)
    got = getattr(jacobians, name)(*point)
    assert_close(got, expected, rtol=1e-12, atol=1e-12, scale=float(np.max(np.abs(expected))))


@pytest.mark.parametrize("name", SYMBOLIC)
@SETTINGS
@given(data=st.data())
def test_numpy_primal_equals_the_sympy_primal(name: str, data: st.DataObject) -> None:
    """The numpy primal used for finite differences is the exercise's formula."""
    primal, domain = CASES[name]
    point = data.draw(domain)
    expected = np.ravel(PRIMALS[name].function()(*point))
    got = np.ravel(primal(*point))
    assert_close(got, expected, rtol=1e-12, atol=1e-12, scale=float(np.max(np.abs(expected))))


@pytest.mark.parametrize("name", SYMBOLIC)
def test_sympy_derivative_simplifies_to_the_answer_stated_in_the_contract(name: str) -> None:
    """Every entry of sympy's derivative minus the contract's stated entry simplifies to 0."""
    import sympy

    primal = PRIMALS[name]
    names = dict(zip(primal.variables, primal.symbols(), strict=True))
    stated = sympy.Matrix(sympy.sympify(STATED[name], locals=names))
    derivative = sympy.Matrix(primal.derivative()).reshape(*stated.shape)
    assert sympy.simplify(derivative - stated) == sympy.zeros(*stated.shape)


@pytest.mark.parametrize("entry", sorted(CATALOGUE_RULES))
@FEW
@given(data=st.data())
def test_catalogue_entry_equals_the_sympy_derivative(entry: str, data: st.DataObject) -> None:
    """GJ-02..GJ-10 (GJ-10 as the product dF/dg dg/dx) and CR-06 (by CR-07) equal sympy."""
    rule, domain = CATALOGUE_RULES[entry]
    point = data.draw(domain)
    expected = CATALOGUE_PRIMALS[entry].derivative_function()(*point)
    assert_close(rule(*point), expected, rtol=1e-10, atol=1e-10)


@SETTINGS
@given(x=away_from_zero(0.1, 10.0), k=reals(-5.0, 5.0))
def test_cr06_with_any_inner_factor_equals_sympy(x: float, k: float) -> None:
    """CR-06 with inner term kx (S002: k = 4) is [2/x, k cos(kx)], as sympy derives."""
    import sympy

    primal = Primal(("log(x**2)", f"sin({sympy.Rational(k)}*x)"), ("x",))
    expected = primal.derivative_function()(x)
    assert_close(jacobians.d_ln_x2_sin_kx(x, k), expected, rtol=1e-9, atol=1e-9)
    assert_matches_differences(jacobians.d_ln_x2_sin_kx(x, k), jacobians.ln_x2_sin_kx, (x, k), 0)


@SETTINGS
@given(x=st.integers(1, 6).flatmap(vectors))
def test_identity_jacobian_matches_central_differences(x: np.ndarray) -> None:
    """GJ-08: the Jacobian of f(x) = x is I_n, as central differences find."""
    assert_matches_differences(jacobians.jacobian_identity(x), jacobians.identity, (x,), 0)


@SETTINGS
@given(x=reals(), y=reals(-3.0, 3.0))
def test_jacobian_stacks_the_gradients_of_its_components_as_rows(x: float, y: float) -> None:
    """GJ-07: stacking the gradients of 3x^2 y and 2x + y^8 as rows gives GJ-04's Jacobian."""
    rows = [jacobians.grad_3x2y(x, y), jacobians.grad_2x_y8(x, y)]
    stacked = jacobians.jacobian_from_gradients(rows)
    assert_close(stacked, jacobians.jacobian_3x2y_2x_y8(x, y), rtol=0, atol=0)


@FEW
@given(m=st.none() | sizes(), n=st.none() | sizes())
def test_derivative_shape_is_the_shape_central_differences_produce(m: int | None, n: int | None) -> None:
    """GJ-09 under K2: the derivative of f in R^m w.r.t. x in R^n has the stated shape."""
    x: Any = 0.5 if n is None else np.linspace(0.1, 0.9, n)
    f = (lambda t: float(np.sum(np.sin(t)))) if m is None else (lambda t: np.full(m, np.sum(t)))
    assert jacobian(f, (x,), 0).shape == jacobians.derivative_shape(m, n)


@SETTINGS
@given(x=reals(), y=reals(0.1, 10.0))
def test_sin_ln_jacobian_is_the_product_of_the_chain_factors(x: float, y: float) -> None:
    """GJ-10: (dF/dg)(dg/d(x, y)) equals the direct Jacobian [[2x c, c], [0, 3/y]]."""
    assert_close(jacobians.jacobian_sin_ln_chain(x, y), jacobians.jacobian_sin_ln(x, y))
