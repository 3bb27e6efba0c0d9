"""Plans: the inputs drawn once are the ones the search checks, and judging on them changes nothing.

checker.py judges a submission on a plan (grader/checking/plan.py) and runs the Hypothesis search only
when something fails.  These tests hold that to what it promises: the planned inputs are
exactly those the search checks on a passing submission, in order; a report is the same
with and without the plan, for right and for wrong answers; the per-exercise time limit
still stops a slow function, and when it cuts the shrinking short the failure found so far
is reported instead of being lost.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from exercises import by_name
from grader.checking import Settings, check_exercise, checker, copy_input, harness, plan, plan_exercise, run
from grader.exercise import spec_of
from grader.sandbox import Leaf, Limits, Returned, Sandbox

SETTINGS = Settings(seed=5, examples=40)


def _leafy(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_leafy(v) for v in value)
    if isinstance(value, list):
        return [_leafy(v) for v in value]
    return Leaf(values=np.asarray(value, dtype=np.float64), dtype="float64")


class Recording:
    """Stands in for the worker of a right answer: answers with the reference, records the inputs."""

    limits = Limits()
    student_seconds = 0.0  # answers take no time

    def __init__(self, exercise: Any) -> None:
        self.exercise = exercise
        self.seen: list[tuple[Any, ...]] = []

    def call(self, name: str, spec: Any, batch: list[tuple[Any, ...]]) -> list[Returned]:
        self.seen.extend(batch)
        answers = [self.exercise.reference(*(copy_input(a) for a in args)) for args in batch]
        assert all(spec == spec_of(answer) for answer in answers)
        return [Returned(_leafy(answer)) for answer in answers]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


@pytest.mark.parametrize(
    "name",
    # explicit examples first (delta_hidden, backprop), integers (num_minibatches), lists of
    # arrays (backprop), a kink (neuron_grad), a sympy-derived exercise (d_ln_x2)
    ["d_ln_x2", "grad_dot", "neuron_grad", "num_minibatches", "delta_hidden", "backprop"],
)
def test_the_plan_holds_the_inputs_the_search_checks_in_its_order(name):
    """The search itself, on a right answer, checks exactly the planned input sets."""
    exercise = by_name()[name]
    sandbox = Recording(exercise)
    searched = run.Run(exercise, sandbox, SETTINGS)  # type: ignore[arg-type]
    with harness.hypothesis_home():
        assert searched.search() == []
    planned = plan_exercise(exercise, SETTINGS)
    assert planned is not None
    assert len(planned.cases) == len(sandbox.seen) == searched.checked >= SETTINGS.examples
    for case, args in zip(planned.cases, sandbox.seen, strict=True):
        assert _same(tuple(case.inputs[p] for p in exercise.params), args)


def _grade(source: str, name: str, settings: Settings = SETTINGS, limits: Limits | None = None) -> Any:
    with Sandbox(source, "/tmp/student.py", limits) as sandbox:
        assert sandbox.load().error is None
        return check_exercise(by_name()[name], sandbox, settings)


RIGHT = "import numpy as np\ndef grad_dot(x, z):\n    return z.copy(), x.copy()\n"
WRONG = "import numpy as np\ndef grad_dot(x, z):\n    return z.copy(), x + (x.size > 2)\n"
RAISES = "def d_x_plus_x2(x):\n    if x > 3:\n        raise ValueError('big')\n    return 1 + 2 * x\n"


@pytest.mark.parametrize(
    ("source", "name", "status"),
    [(RIGHT, "grad_dot", "passed"), (WRONG, "grad_dot", "failed"), (RAISES, "d_x_plus_x2", "error")],
)
def test_a_result_is_the_same_with_the_plan_and_with_the_search_alone(monkeypatch, source, name, status):
    """Right, wrong and raising answers get the very result the search alone gives."""
    with_plan = _grade(source, name)
    monkeypatch.setattr(checker, "passes_plan", lambda run: False)
    search_only = _grade(source, name)
    assert with_plan == search_only
    assert with_plan.status == status
    assert with_plan.examples >= 1


def test_judging_a_second_submission_reuses_the_plan_and_its_memo():
    """The plan is drawn once per (exercise, seed, examples); finite differences are kept in it."""
    exercise = by_name()["grad_dot"]
    settings = Settings(seed=6, examples=20)
    first = plan_exercise(exercise, settings)
    assert first is not None and first is plan_exercise(exercise, settings)
    assert first is not plan_exercise(exercise, Settings(seed=7, examples=20))
    assert all(c.memo.differences for c in first.cases)
    assert _grade(RIGHT, "grad_dot", settings).status == "passed"
    plan.forget()
    assert plan_exercise(exercise, settings) is not first


class Slow(Sandbox):
    """A worker whose every input set costs the student `cost` seconds, however fast it runs.

    The exercise's time limit counts the sandbox's `student_seconds`; here the calls add a
    fixed cost to it, so the limit is met after the same calls on any machine.
    """

    def __init__(self, source: str, cost: float) -> None:
        super().__init__(source, "/tmp/student.py", clock=lambda: 0.0)
        self.cost = cost

    def call(self, name: str, spec: Any, batch: list[tuple[Any, ...]]) -> Any:
        outcomes = super().call(name, spec, batch)
        self.student_seconds += self.cost * len(batch)
        return outcomes


def _grade_slowly(source: str, name: str, settings: Settings, cost: float) -> Any:
    """Check `name` with each input set costing the student `cost` seconds."""
    with Slow(source, cost) as sandbox:
        assert sandbox.load().error is None
        return check_exercise(by_name()[name], sandbox, settings)


WRONG_ABOVE = "def d_x_plus_x2(x):\n    return 1 + 2 * x + (0.5 if x > 1.5 else 0.0)\n"


def test_the_time_limit_during_shrinking_keeps_the_failure_found_so_far():
    """Shrinking a slow wrong answer is cut at the limit; the smallest failure so far is reported."""
    settings = Settings(seed=5, examples=40, exercise_seconds=1.5)
    result = _grade_slowly(WRONG_ABOVE, "d_x_plus_x2", settings, cost=0.03)
    assert result.status == "failed", result.message
    failed = [i for i in result.identities if i.status == "failed"]
    assert failed and all(i.counterexample is not None for i in failed)
    for identity in failed:
        assert identity.counterexample is not None and identity.counterexample.inputs["x"] > 1.5
        assert "stopped at the time limit of 1.5 s" in identity.message


def test_a_slow_right_answer_still_ends_at_the_time_limit():
    """Judging on the plan is bounded by the per-exercise limit too."""
    right = "def d_x_plus_x2(x):\n    return 1 + 2 * x\n"
    settings = Settings(seed=5, examples=100, exercise_seconds=1.0)
    result = _grade_slowly(right, "d_x_plus_x2", settings, cost=0.05)
    assert result.status == "error"
    assert "took longer than 1 s" in result.message
    assert 4 <= result.examples < 100


def test_grade_batch_draws_shared_plans_before_it_forks_and_only_those():
    """Students with the same seed and examples share plans; a student's own seed is not drawn ahead."""
    from grader.batch import Submission, prepare_shared
    from grader.checking import kept, key_of
    from grader.grading import Options

    plan.forget()
    shared = Options(seed=31, examples=10, only=("grad_dot",), jobs=1)
    alone = Options(seed=32, examples=10, only=("grad_dot",), jobs=1)
    queue = [(Submission("a", "a.py"), shared, ""), (Submission("b", "b.py"), shared, ""),
             (Submission("c", "c.py"), alone, "")]
    prepare_shared(queue)
    exercise = by_name()["grad_dot"]
    assert kept(key_of(exercise, 31, 10, Settings().batch)) is not None
    assert kept(key_of(exercise, 32, 10, Settings().batch)) is None


def test_planned_arrays_are_read_only():
    """A plan serves many submissions: nothing on the grader's side may change its inputs."""
    planned = plan_exercise(by_name()["backprop"], Settings(seed=8, examples=12))
    assert planned is not None
    for case in planned.cases:
        for W in case.inputs["Ws"]:
            assert not W.flags.writeable
        assert not case.inputs["x"].flags.writeable
    with pytest.raises(ValueError):
        planned.cases[0].inputs["x"][0] = 1.0
