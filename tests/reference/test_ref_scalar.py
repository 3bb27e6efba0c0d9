"""reference.scalar: the set `scalar` and the rules of group SC, CR-01..CR-05."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference import scalar
from reference.scalar import CATALOGUE_PRIMALS, EXERCISES, PRIMALS

from .finite_differences import assert_close, assert_matches_differences
from .inputs import FEW, SETTINGS, away_from_zero, ln_sin_points, reals

DOMAINS: dict[str, st.SearchStrategy[float]] = {
    "d_ln_x2": away_from_zero(0.1, 10.0),
    "d_sin_x2": reals(),
    "d_ln_sin_x3_sq": ln_sin_points(),
    "d_x_plus_x2": reals(),
    "d_sin_x_plus_x2": reals(),
    "d_x_times_x2": reals(),
}

PRIMAL_OF: dict[str, Callable[[float], float]] = {
    "d_ln_x2": scalar.ln_x2,
    "d_sin_x2": scalar.sin_x2,
    "d_ln_sin_x3_sq": scalar.ln_sin_x3_sq,
    "d_x_plus_x2": scalar.x_plus_x2,
    "d_sin_x_plus_x2": scalar.sin_x_plus_x2,
    "d_x_times_x2": scalar.x_times_x2,
}

# The answers exactly as spec/exercises.md states them, in sympy syntax.
STATED = {
    "d_ln_x2": "2/x",
    "d_sin_x2": "2*x*cos(x**2)",
    "d_ln_sin_x3_sq": "6*x**2*cos(x**3)/sin(x**3)",
    "d_x_plus_x2": "1 + 2*x",
    "d_sin_x_plus_x2": "cos(x + x**2)*(1 + 2*x)",
    "d_x_times_x2": "3*x**2",
}

# The numpy form of each symbolic catalogue entry, and where to evaluate it.
CATALOGUE_RULES: dict[str, tuple[Callable[..., Any], st.SearchStrategy[Any]]] = {
    "SC-01": (scalar.d_constant, reals()),
    "SC-02": (lambda x: scalar.d_constant_multiple(3.0, 1.0), reals()),
    "SC-03": (lambda x: scalar.d_power(x, 3.0), reals()),
    "SC-04": (lambda x: scalar.d_sum(2.0 * x, 3.0), reals()),
    "SC-05": (lambda x: scalar.d_difference(2.0 * x, 3.0), reals()),
    "SC-06": (lambda x: scalar.d_product(x * x, 2.0 * x, x, 1.0), reals()),
    "SC-07": (lambda x: scalar.d_chain(1.0 / (x * x), 2.0 * x), away_from_zero(0.1, 10.0)),
    "SC-08": (scalar.d_9_x_plus_x2, reals()),
    "SC-09": (lambda x, y: list(scalar.partials_3x2y(x, y)), st.tuples(reals(), reals())),
    "SC-10": (scalar.d_sin_x2, reals()),
    "SC-11": (scalar.d_ln_sin_x3_sq_steps, ln_sin_points()),
    "CR-01": (scalar.d_x_plus_x2_total, reals()),
    "CR-03": (scalar.d_x_plus_x2, reals()),
    "CR-04": (scalar.d_sin_x_plus_x2, reals()),
    "CR-05": (scalar.d_x_times_x2_total, reals()),
}


def _args(point: Any) -> tuple[float, ...]:
    """A drawn point as a tuple of arguments."""
    return tuple(point) if isinstance(point, tuple) else (point,)


def test_every_scalar_exercise_has_a_symbolic_primal_and_a_domain() -> None:
    """PRIMALS, the primals and the test domains cover exactly the set `scalar`."""
    assert set(PRIMALS) == set(EXERCISES) == set(DOMAINS) == set(PRIMAL_OF) == set(STATED)


@pytest.mark.parametrize("name", EXERCISES)
@SETTINGS
@given(data=st.data())
def test_scalar_reference_matches_central_differences_of_its_primal(name: str, data: st.DataObject) -> None:
    """Each scalar derivative agrees with a central difference of its numpy primal."""
    x = data.draw(DOMAINS[name])
    reference = getattr(scalar, name)
    assert_matches_differences(reference(x), PRIMAL_OF[name], (x,), 0)


@pytest.mark.parametrize("name", EXERCISES)
@SETTINGS
@given(data=st.data())
def test_scalar_reference_equals_the_sympy_derivative_of_its_primal(name: str, data: st.DataObject) -> None:
    """Each hand-written derivative equals sympy's derivative of the exercise's formula."""
    x = data.draw(DOMAINS[name])
    expected = PRIMALS[name].derivative_function()(x)
    assert_close(getattr(scalar, name)(x), expected, rtol=1e-12, atol=1e-12, scale=abs(expected))


@pytest.mark.parametrize("name", EXERCISES)
@SETTINGS
@given(data=st.data())
def test_numpy_primal_equals_the_sympy_primal(name: str, data: st.DataObject) -> None:
    """The numpy primal used for finite differences is the exercise's formula."""
    x = data.draw(DOMAINS[name])
    expected = PRIMALS[name].function()(x)
    assert_close(PRIMAL_OF[name](x), expected, rtol=1e-12, atol=1e-12, scale=abs(expected))


@pytest.mark.parametrize("name", EXERCISES)
def test_sympy_derivative_simplifies_to_the_answer_stated_in_the_contract(name: str) -> None:
    """sympy's derivative of the primal minus the contract's stated answer simplifies to 0."""
    import sympy

    primal = PRIMALS[name]
    stated = sympy.sympify(STATED[name], locals={"x": primal.symbols()[0]})
    assert sympy.simplify(primal.derivative() - stated) == 0


def test_catalogue_primals_cover_the_symbolic_entries_of_sc_and_cr() -> None:
    """CATALOGUE_PRIMALS holds SC-01..SC-11 and CR-01, CR-03..CR-05."""
    assert set(CATALOGUE_PRIMALS) == set(CATALOGUE_RULES)


@pytest.mark.parametrize("entry", sorted(CATALOGUE_RULES))
@FEW
@given(data=st.data())
def test_catalogue_rule_equals_the_sympy_derivative_of_its_example(entry: str, data: st.DataObject) -> None:
    """Each SC/CR rule, applied to its example, equals sympy's derivative of the example."""
    rule, domain = CATALOGUE_RULES[entry]
    point = _args(data.draw(domain))
    expected = CATALOGUE_PRIMALS[entry].derivative_function()(*point)
    assert_close(rule(*point), expected, rtol=1e-10, atol=1e-10)


@SETTINGS
@given(x=reals(0.1, 10.0), n=reals(-3.0, 3.0))
def test_power_rule_holds_for_non_integer_exponents_on_positive_x(x: float, n: float) -> None:
    """SC-03: d/dx x^n = n x^(n-1) agrees with central differences for real n and x > 0."""
    assert_matches_differences(scalar.d_power(x, n), lambda t: t**n, (x,), 0)


@SETTINGS
@given(x=reals(-3.0, 3.0))
def test_product_and_chain_rules_agree_with_central_differences(x: float) -> None:
    """SC-06 on sin(x) e^x and SC-07 on sin(e^x) agree with central differences."""
    product = scalar.d_product(math.sin(x), math.cos(x), math.exp(x), math.exp(x))
    assert_matches_differences(product, lambda t: math.sin(t) * math.exp(t), (x,), 0)
    chain = scalar.d_chain(math.cos(math.exp(x)), math.exp(x))
    assert_matches_differences(chain, lambda t: math.sin(math.exp(t)), (x,), 0)


@SETTINGS
@given(x=reals(), c=reals())
def test_constant_multiple_and_sum_rules_agree_with_central_differences(x: float, c: float) -> None:
    """SC-02, SC-04, SC-05 on c sin(x) and sin(x) -/+ x^3 agree with central differences."""
    f = scalar.d_constant_multiple(c, math.cos(x))
    assert_matches_differences(f, lambda t: c * math.sin(t), (x,), 0)
    total = scalar.d_sum(math.cos(x), 3 * x * x)
    assert_matches_differences(total, lambda t: math.sin(t) + t**3, (x,), 0)
    difference = scalar.d_difference(math.cos(x), 3 * x * x)
    assert_matches_differences(difference, lambda t: math.sin(t) - t**3, (x,), 0)


@SETTINGS
@given(x=reals())
def test_total_derivative_forms_equal_the_closed_forms(x: float) -> None:
    """CR-01 and CR-05 computed by the total-derivative rule CR-02 equal 1 + 2x and 3x^2."""
    assert_close(scalar.d_x_plus_x2_total(x), scalar.d_x_plus_x2(x), rtol=1e-12)
    assert_close(scalar.d_x_times_x2_total(x), scalar.d_x_times_x2(x), rtol=1e-12)


@SETTINGS
@given(x=ln_sin_points())
def test_four_step_procedure_equals_the_closed_form_of_sc11(x: float) -> None:
    """SC-11/SC-12: multiplying the four step derivatives gives 6x^2 cos(x^3)/sin(x^3)."""
    closed = scalar.d_ln_sin_x3_sq(x)
    assert_close(scalar.d_ln_sin_x3_sq_steps(x), closed, rtol=1e-10, atol=1e-12)


@SETTINGS
@given(x=reals(), dx=away_from_zero(1e-3, 1.0))
def test_secant_of_x_plus_x2_is_the_derivative_plus_dx(x: float, dx: float) -> None:
    """CR-03: the secant slope of x + x^2 is 1 + 2x + dx, so it is not the derivative."""
    assert_close(scalar.secant_x_plus_x2(x, dx), 1 + 2 * x + dx, rtol=1e-6, atol=1e-6)
