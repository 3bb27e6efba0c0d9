"""The shrinker (grader/checking/shrink.py): smaller moves, inside the domain, judged at once.

A failing exercise is no longer shrunk by Hypothesis's engine but by moves on the failing
input itself, many to a call of the worker.  What makes that safe is checked here: every move
is smaller in Hypothesis's order (`size_of`), the moves it tries stay inside the contract's
domain (written independently in tests/grader/test_corners.py), each exercise declares its
domain, the kinds of failure judged for a whole call at once (`failing_each`) are the kinds
judged one case at a time, and the symbolic references shipped as code are sympy's own.
"""

from __future__ import annotations

import random
from itertools import islice
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exercises import all_exercises, builtin_exercises, by_name
from grader.checking import Settings, identities_of, plan_exercise
from grader.checking.comparison import compare, within_each
from grader.checking.identities import failing_each
from grader.checking.leaves import copy_input
from grader.checking.run import _verdicts, cost, size_of
from grader.checking.shrink import _piled, candidates, in_domain
from tests.grader.test_compare import _terms
from tests.grader.test_corners import DOMAINS
from tests.grader.test_hold_on_all import _cases

SETTINGS = Settings(seed=5, examples=24)
NAMES = [e.name for e in all_exercises()]


def _planned(name: str, most: int = 6) -> list[dict[str, Any]]:
    plan = plan_exercise(by_name()[name], SETTINGS)
    assert plan is not None
    return [dict(p.inputs) for p in plan.cases[-most:]]


def test_every_built_in_exercise_declares_its_domain() -> None:
    """The 41 exercises of the contract can be shrunk here (none falls back to Hypothesis)."""
    assert all(e.domain is not None for e in builtin_exercises())


@pytest.mark.parametrize("name", NAMES)
def test_every_planned_input_lies_in_the_declared_domain(name: str) -> None:
    """What grading draws, the declared domain admits: the shrinker can start from any of it."""
    exercise = by_name()[name]
    assert all(in_domain(exercise, inputs) for inputs in _planned(name, 24))


@pytest.mark.parametrize("name", NAMES)
def test_every_move_is_smaller_and_the_ones_tried_lie_in_the_contract_domain(name: str) -> None:
    """Each candidate is smaller in Hypothesis's order; those in the declared domain are in the
    contract's domain as tests/grader/test_corners.py writes it (never outside K11)."""
    exercise = by_name()[name]
    tried = 0
    for inputs in _planned(name, 4):
        bound = size_of(inputs)
        for candidate in islice(candidates(inputs), 300):
            assert size_of(candidate) < bound, (inputs, candidate)
            if in_domain(exercise, candidate):
                tried += 1
                assert DOMAINS[name](candidate), candidate
    assert tried > 0


def test_a_move_that_leaves_the_domain_is_never_tried() -> None:
    """ln(x^2) is not defined at 0; a pre-activation at 0 is the kink, outside K11."""
    d_ln_x2, neuron = by_name()["d_ln_x2"], by_name()["neuron"]
    assert not in_domain(d_ln_x2, {"x": 0.0}) and in_domain(d_ln_x2, {"x": 1.0})
    w, x = np.array([1.0]), np.array([1.0])
    assert not in_domain(neuron, {"w": w, "b": -1.0, "x": x})
    assert not in_domain(neuron, {"w": w, "b": -1.0 + 1e-7, "x": x})
    assert in_domain(neuron, {"w": w, "b": 1.0, "x": x})
    assert not in_domain(neuron, {"w": w, "b": 1.0, "x": np.array([1.0, 2.0])})  # shapes disagree


def test_the_order_prefers_fewer_entries_then_integers_then_short_decimals() -> None:
    """0 < 1 < 2 < 0.5 < 0.25 < 0.372...; and one entry is smaller than two."""
    costs = cost(np.array([0.0, 1.0, 2.0, 0.5, 0.25, 0.3728375]))
    assert list(costs) == sorted(costs)
    assert size_of({"x": np.array([7.3])}) < size_of({"x": np.array([0.0, 0.0])})


def test_sizes_are_cut_together_where_arrays_share_a_side() -> None:
    """W (2 x 3), x (3,): cutting the side 3 cuts W's columns and x alike."""
    inputs = {"W": np.arange(6.0).reshape(2, 3), "x": np.arange(3.0)}
    shapes = {(c["W"].shape, c["x"].shape) for c in candidates(inputs)}
    assert ((2, 1), (1,)) in shapes and ((2, 2), (2,)) in shapes and ((1, 1), (1,)) in shapes
    assert all(w[1] == x[0] for w, x in shapes)


def test_counts_keep_their_remainder_when_the_quotient_comes_down() -> None:
    """m = 1000 * 7 + 3 with batch_size 7: m = 7 + 3 is among the first moves."""
    moves = list(candidates({"m": 7003, "batch_size": 7}))
    assert {"m": 10, "batch_size": 7} in moves
    assert all(m["m"] + m["batch_size"] < 7010 for m in moves)


def test_moves_that_fail_alone_are_tried_piled_up() -> None:
    """Two entries each set to 0 by one candidate: the pile has both at 0."""
    current = {"x": np.array([3.0, 4.0, 5.0])}
    one = {"x": np.array([0.0, 4.0, 5.0])}
    two = {"x": np.array([3.0, 0.0, 5.0])}
    [piled] = _piled(current, [one, two])
    assert list(piled["x"]) == [0.0, 0.0, 5.0]


@given(st.lists(_terms(), max_size=6))
def test_within_each_says_for_each_comparison_what_compare_says(terms):
    """The per-term batch test agrees with compare() on each term, NaN, inf and dtypes included."""
    with np.errstate(all="ignore"):
        alone = [
            compare(t.got, t.expected, dtype=t.dtype, scale=t.scale, rtol=t.rtol, atol=t.atol, exact=t.exact)
            .ok
            for t in terms
        ]
        assert list(within_each(terms)) == alone


@pytest.mark.parametrize("name", NAMES)
def test_the_kinds_judged_at_once_are_the_kinds_judged_case_by_case(name: str) -> None:
    """failing_each gives each case the identities that fail on it alone, for the right answer
    and every classic mistake (None only where the answer is not in the reference's shapes)."""
    exercise = by_name()[name]
    identities = identities_of(exercise)
    for answer in [exercise.reference] + [m.answer for m in exercise.mistakes]:
        cases = _cases(name, answer)
        for case, kind in zip(cases, failing_each(identities, cases), strict=True):
            alone = tuple(i.name for i, v in _verdicts(identities, case) if v is not None)
            if kind is None:
                assert alone and alone[0] == identities[0].name  # the shape identity fails
            else:
                assert kind == alone


def test_the_shipped_symbolic_code_is_sympys_own_for_every_built_in_primal() -> None:
    """Evaluated without sympy, the shipped code gives sympy's lambdify bit for bit; and it
    covers every built-in primal, so a failing formula exercise never imports sympy to shrink."""
    from reference import symbolic

    primals = [e.symbolic for e in builtin_exercises() if e.symbolic is not None]
    shipped = symbolic._shipped()
    rng = random.Random(7)
    for primal in primals:
        for derive in (False, True):
            assert symbolic._key(primal.source, primal.variables, derive) in shipped
            fast = symbolic._lambdified(primal.source, primal.variables, derive=derive)
            slow = symbolic._sympy_lambdified(primal.source, primal.variables, derive=derive)
            for _ in range(200):
                xs = [rng.uniform(-3.0, 3.0) for _ in primal.variables]
                try:
                    want = slow(*xs)
                except (ValueError, ZeroDivisionError, OverflowError):
                    continue
                assert np.array_equal(fast(*xs), want), (primal.source, xs)


def test_a_reported_counterexample_keeps_its_reference_input_untouched() -> None:
    """The moves make new arrays: the plan's read-only inputs are never written."""
    inputs = _planned("layer_forward", 1)[0]
    before = {k: copy_input(v) for k, v in inputs.items()}
    for _ in islice(candidates(inputs), 400):
        pass
    assert all(np.array_equal(before[k], inputs[k]) for k in inputs)


def test_the_small_plan_is_drawn_with_the_default_seed_whatever_the_run_s() -> None:
    """Its seed is the default one, so the shipped small plans serve every seed."""
    from grader.checking.recording import SMALL_SEED, small_plan
    from grader.grading import DEFAULT_SEED

    assert SMALL_SEED == DEFAULT_SEED
    exercise = by_name()["grad_dot"]
    assert small_plan(exercise, Settings(seed=1)) is small_plan(exercise, Settings(seed=2))


def test_an_exercise_without_a_domain_is_shrunk_by_hypothesis_and_one_with_it_by_the_shrinker(monkeypatch):
    """No declared domain: Hypothesis's search shrinks, as before.  With one, the shrinker does
    (the search is never run) and reaches the simplest failing input, x = 1 (0 passes)."""
    from dataclasses import replace

    from grader.checking.run import Run
    from tests.grader.test_check import CUBE, run

    wrong = "def d_x_cubed(x):\n    return x**2\n"
    assert CUBE.domain is None
    searched = run(wrong, CUBE)
    assert searched.status == "failed"

    def no_search(self: Run) -> list[BaseException]:
        raise AssertionError("the Hypothesis search ran")

    monkeypatch.setattr(Run, "search", no_search)
    shrunk = run(wrong, replace(CUBE, domain=lambda x: isinstance(x, float) and abs(x) <= 10))
    assert shrunk.status == "failed"
    for identity in shrunk.identities:
        if identity.status == "failed":
            assert identity.counterexample is not None
            assert abs(identity.counterexample.inputs["x"]) == 1.0
