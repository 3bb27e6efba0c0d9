"""Judging a call's batch at once (identities.hold_on_all) says what judging each case alone says.

Run.judge first asks `hold_on_all` whether every identity holds on every answer of a call,
and looks at the cases one by one only when it says no.  So it must never say yes when one
case alone fails; and for float64 answers it says yes whenever each case alone passes (else
it would save nothing).  Checked on the planned inputs of every built-in exercise, with the
right answers, each classic mistake, answers of another shape, and float32 answers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from exercises import all_exercises, by_name
from grader.checking import Settings, identities_of, plan_exercise
from grader.checking.identities import hold_on_all
from grader.checking.leaves import copy_input
from grader.exercise import Case
from grader.sandbox import Leaf

SETTINGS = Settings(seed=3, examples=24)


def _leafy(value: Any, dtype: str = "float64") -> Any:
    """A reference-style answer as the worker's Leaf tree (float32: rounded to float32)."""
    if isinstance(value, tuple):
        return tuple(_leafy(v, dtype) for v in value)
    if isinstance(value, list):
        return [_leafy(v, dtype) for v in value]
    array = np.asarray(value, dtype=np.float64)
    if dtype == "float32":
        array = array.astype(np.float32).astype(np.float64)
    return Leaf(values=array, dtype=dtype)


def _cases(name: str, answer: Any, dtype: str = "float64") -> list[Case]:
    exercise = by_name()[name]
    planned = plan_exercise(exercise, SETTINGS)
    assert planned is not None
    cases = []
    for item in planned.cases:
        try:
            with np.errstate(all="ignore"):
                got = answer(*(copy_input(item.inputs[p]) for p in exercise.params))
        except (ValueError, IndexError):  # a mistake that cannot even run on these shapes
            continue
        cases.append(item.case(exercise, _leafy(got, dtype)))
    return cases


def _alone(cases: list[Case]) -> bool:
    """What judging each case by itself says: every identity holds on every case."""
    identities = identities_of(cases[0].exercise)
    return all(ident.check(case) is None for case in cases for ident in identities)


@pytest.mark.parametrize("name", [e.name for e in all_exercises()])
def test_right_answers_and_each_classic_mistake_are_judged_at_once_as_one_by_one(name):
    """For float64 answers, at once and one by one agree: on a whole plan and on each case."""
    exercise = by_name()[name]
    identities = identities_of(exercise)
    answers = [exercise.reference] + [mistake.answer for mistake in exercise.mistakes]
    for answer in answers:
        cases = _cases(name, answer)
        if not cases:
            continue
        assert hold_on_all(identities, cases) == _alone(cases)
        for case in cases[:6]:
            assert hold_on_all(identities, [case]) == _alone([case])
    assert hold_on_all(identities, _cases(name, exercise.reference))


@pytest.mark.parametrize("name", ["grad_dot", "jac_mul", "mse_grad", "backprop", "d_ln_x2", "sigmoid_prime"])
def test_float32_answers_are_never_passed_at_once_where_one_case_fails(name):
    """A lower precision: at once may defer to one by one, but never passes what it fails."""
    exercise = by_name()[name]
    identities = identities_of(exercise)
    for answer in [exercise.reference, *(m.answer for m in exercise.mistakes)]:
        cases = _cases(name, answer, dtype="float32")
        if cases and hold_on_all(identities, cases):
            assert _alone(cases)


def test_an_answer_of_another_shape_or_a_missing_result_is_left_to_the_cases():
    """A transposed or cut answer: at once says no, so that one by one says which and why."""
    name = "jac_mul"
    exercise = by_name()[name]
    identities = identities_of(exercise)
    cases = _cases(name, lambda *args: np.asarray(exercise.reference(*args)).T)
    square = [c for c in cases if np.shape(c.expected)[0] == np.shape(c.expected)[-1]]
    assert not hold_on_all(identities, cases) and not _alone(cases)
    cut = [
        Case(exercise=c.exercise, inputs=c.inputs, expected=c.expected, got=Leaf(np.zeros(1), "float64"))
        for c in cases
        if np.size(c.expected) > 1
    ]
    assert cut and not hold_on_all(identities, cut) and not _alone(cut)
    assert len(square) < len(cases)
