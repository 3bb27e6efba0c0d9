"""Answers that depend on earlier calls are found and explained with the shortest failing sequence;
minimal counterexamples win over worked examples; diagnoses hold on every failing input."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from exercises import by_name
from grader.checking import diagnose
from grader.checking.replay import ddmin
from grader.exercise import Case
from grader.grading import Options, grade
from grader.render.json import render_json
from grader.report import ExerciseResult
from grader.sandbox import Leaf

WRONG = Path(__file__).resolve().parents[1] / "corpus" / "wrong"
SEED = 20261122


def _graded(stem: str) -> tuple[ExerciseResult, str]:
    exercise = stem.split("__")[0]
    report = grade(str(WRONG / f"{stem}.py"), Options(seed=SEED, examples=25, only=(exercise,)))
    [result] = report.exercises
    return result, render_json(report)


def test_ddmin_finds_the_two_calls_that_matter_among_a_hundred() -> None:
    """A failure that needs calls 17 and 42 (in order) is cut down to exactly those two."""
    items = [(k,) for k in range(100)]
    tried: list[int] = []

    def fails(calls: Sequence[tuple[int, ...]]) -> bool:
        tried.append(len(calls))
        return (17,) in calls and (42,) in calls

    assert ddmin(items, fails, lambda: True) == [(17,), (42,)]
    assert len(tried) < len(items)  # fewer trials than calls


def test_ddmin_stops_at_its_trial_budget_with_a_sequence_that_still_fails() -> None:
    """Out of trials, ddmin returns the shortest sequence it has, which still fails."""
    items = [(k,) for k in range(100)]
    budget = [5]

    def fails(calls: Sequence[tuple[int, ...]]) -> bool:
        budget[0] -= 1
        return (17,) in calls and (42,) in calls

    found = ddmin(items, fails, lambda: budget[0] > 0)
    assert (17,) in found and (42,) in found
    assert 2 < len(found) < 100


def test_a_cache_by_shape_is_reported_with_the_two_calls_that_show_it() -> None:
    """The stale cache: right alone, wrong after one earlier call of the same shape."""
    result, first = _graded("jac_relu__cache_by_shape")
    assert result.status == "failed" and result.score == 0
    assert "depends on earlier calls (a cache or a global?)" in result.message
    [identity] = result.identities
    assert identity.name == "gives the same answer whatever was called before"
    assert "(2 calls; the shortest sequence found)" in identity.message
    lines = [line for line in identity.message.splitlines() if line.lstrip()[:2] in ("1.", "2.")]
    assert len(lines) == 2 and lines[1].endswith("<- wrong answer")
    assert lines[0].lstrip().startswith("1. jac_relu(x=") and lines[1].lstrip().startswith("2. jac_relu(x=")
    _, second = _graded("jac_relu__cache_by_shape")
    assert first == second  # the same submission and seed: the same sequence


def test_a_buffer_kept_between_calls_is_reported_with_one_call_before_the_input() -> None:
    """A module-level buffer: one earlier call, then the counterexample, is the shortest
    failing sequence (which earlier call depends on the counterexample's sign)."""
    result, _ = _graded("layer_forward__buffer_between_calls")
    assert "depends on earlier calls" in result.message
    [identity] = result.identities
    calls = [
        line.split(". ", 1)[1].replace("   <- wrong answer", "") for line in identity.message.splitlines()[1:]
    ]
    assert identity.counterexample is not None
    shown = ", ".join(f"{k}={v}" for k, v in identity.counterexample.inputs.items())
    assert len(calls) == 2 and calls[1] == f"layer_forward({shown})"


def test_a_correct_function_with_a_harmless_cache_passes(tmp_path: Path) -> None:
    """A cache keyed on the whole input (not its shape) is right alone and after other calls."""
    source = (
        "import numpy as np\n_seen = {}\n"
        "def jac_relu(x):\n"
        "    key = x.tobytes() + bytes(str(x.shape), 'ascii')\n"
        "    if key not in _seen:\n"
        "        _seen[key] = np.diag((x > 0).astype(float))\n"
        "    return _seen[key].copy()\n"
    )
    path = tmp_path / "cached.py"
    path.write_text(source, encoding="utf-8")
    [result] = grade(str(path), Options(seed=SEED, examples=25, only=("jac_relu",))).exercises
    assert result.status == "passed", result


def test_the_worked_example_no_longer_wins_when_something_smaller_fails() -> None:
    """num_minibatches with a floor: m = 3, batch_size = 2, not the worked m = 1000000."""
    result, _ = _graded("num_minibatches__floor")
    failed = [i for i in result.identities if i.status == "failed"]
    assert failed and all(i.counterexample is not None for i in failed)
    for identity in failed:
        assert identity.counterexample is not None
        assert identity.counterexample.inputs == {"m": 3, "batch_size": 2}


def _scalar_case(name: str, x: float, answer: float) -> Case:
    exercise = by_name()[name]
    expected = exercise.reference(x)
    return Case(exercise=exercise, inputs={"x": x}, expected=expected, got=Leaf(np.array(answer), "float64"))


def test_a_mistake_that_explains_only_the_shown_input_is_not_named() -> None:
    """x*x*cos(x^2) equals cos(x^2) (the inner derivative forgotten) at x = 1 only."""

    def wrong(x: float) -> float:
        return float(x * x * np.cos(x**2))

    minimal = _scalar_case("d_sin_x2", 1.0, wrong(1.0))
    alone = diagnose(minimal)
    assert alone is not None and alone.name == "chain-rule"  # the coincidence, on one input
    others = [_scalar_case("d_sin_x2", x, wrong(x)) for x in (0.7, 1.7, -2.3)]
    found = diagnose(minimal, *others)
    assert found is None or found.name == "", found


def test_a_mistake_that_explains_every_failing_input_is_named() -> None:
    """cos(x^2) for 2x cos(x^2) is the inner derivative forgotten on every input."""

    def wrong(x: float) -> float:
        return float(np.cos(x**2))

    cases = [_scalar_case("d_sin_x2", x, wrong(x)) for x in (1.0, 0.7, 1.7, -2.3)]
    found = diagnose(cases[0], *cases[1:])
    assert found is not None and found.name == "chain-rule", found
