"""Shipped plans: what the package ships equals what drawing gives, and is used only when it does.

grader/checking/shipped.py reads the plans of the default seed and number of examples from
package data instead of drawing them.  These tests hold it to its promises: the shipped
inputs, reference answers and memo are, bit for bit and in order, those the drawing gives
in this installation (a failure here means `python -m grader.checking.shipped build` is
due); reports are byte-identical with and without them; a file built for something else
(another fingerprint, seed or declaration), or damaged, is ignored; arrays are read-only.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from exercises import all_exercises, by_name
from grader.checking import Settings, identities_of, plan, shipped
from grader.checking.recording import plan_exercise, record
from grader.checking.rounding import scales
from grader.grading import DEFAULT_SEED, Options, grade
from grader.render import render

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(seed=DEFAULT_SEED, examples=Options().examples)


@pytest.fixture(autouse=True)
def _no_plans_kept():
    """Each test starts and ends with no plan kept in the process."""
    plan.forget()
    yield
    plan.forget()


def _identical(a: Any, b: Any, where: str) -> None:
    """The same value bit for bit: types, tuple or list, dtype, shape and bytes."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _identical(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            _identical(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, (np.ndarray, np.float64)):
        assert (a.dtype, np.shape(a)) == (b.dtype, np.shape(b)), where
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes(), where
    elif isinstance(a, float):
        assert a.hex() == b.hex(), where
    else:
        assert a == b, where


def _drawn(exercise: Any) -> tuple[plan.Planned, ...]:
    """The plan as drawing builds it, with the memo a batch prepares and the declared scales."""
    cases = tuple(record(exercise, SETTINGS))
    plan.prepare(exercise, identities_of(exercise), cases)
    for planned in cases:
        scales(planned.case(exercise, got=None))
    return cases


def test_the_shipped_plans_were_built_from_these_sources():
    """A change to the sources the plans depend on fails here until the plans are built again."""
    built = shipped.built_with()
    assert built is not None, "no shipped plans; run `python -m grader.checking.shipped build`"
    assert built[0] == shipped.fingerprint(), (
        "the shipped plans were built from other sources; run `python -m grader.checking.shipped build`"
    )


def test_every_built_in_exercise_has_a_current_shipped_plan():
    """Every built-in exercise's plan for the default settings is shipped and not stale."""
    built = shipped.built_with()
    if built is not None and built[1] != shipped.versions():
        # Not a fault of the sources (checked above): this environment has other versions than
        # the ones the plans were built with, so they are (rightly) ignored and drawn instead.
        pytest.skip(f"the plans were built with {built[1]}; this environment has {shipped.versions()}")
    missing = shipped.stale(SETTINGS)
    assert missing == [], (
        f"stale or missing shipped plans: {missing}; run `python -m grader.checking.shipped build`"
    )


@pytest.mark.parametrize("name", [e.name for e in all_exercises()])
def test_the_shipped_plan_equals_what_drawing_gives_bit_for_bit(name):
    """Inputs, reference answers, result specs and memo: the same values in the same order."""
    exercise = by_name()[name]
    loaded = shipped.load(exercise, SETTINGS)
    assert loaded is not None, "stale: run `python -m grader.checking.shipped build`"
    drawn = _drawn(exercise)
    assert len(loaded.cases) == len(drawn)
    for i, (ours, theirs) in enumerate(zip(loaded.cases, drawn, strict=True)):
        _identical(dict(ours.inputs), dict(theirs.inputs), f"{name} case {i} inputs")
        _identical(ours.expected, theirs.expected, f"{name} case {i} expected")
        assert ours.spec == theirs.spec
        for field in ("scales", "digest", "sensitivity"):
            _identical(getattr(ours.memo, field), getattr(theirs.memo, field), f"{name} case {i} {field}")
        assert list(ours.memo.differences) == list(theirs.memo.differences)
        for key, found in theirs.memo.differences.items():
            _identical(dataclasses.astuple(ours.memo.differences[key]), dataclasses.astuple(found), f"{key}")


def _json_report(path: Path, jobs: int) -> str:
    plan.forget()
    return render(grade(str(path), Options(jobs=jobs)), "json")


@pytest.mark.slow  # grades whole files: run by .ci/run, left out of the README's command
@pytest.mark.parametrize("example", ["correct.py", "mistakes.py", "homework.ipynb"])
def test_reports_are_byte_identical_with_and_without_the_shipped_plans(example, monkeypatch):
    """Grading examples/ gives the same JSON report whether the plans are shipped or drawn."""
    path = ROOT / "examples" / example
    with_shipped = _json_report(path, jobs=2)
    monkeypatch.setenv("MATGRADE_SHIPPED_PLANS", "0")
    assert not shipped.enabled()
    assert _json_report(path, jobs=2) == with_shipped


def _copy(tmp_path: Path, name: str, change: Any = None) -> Path:
    """A copy of the shipped file of `name` in tmp_path, its header changed by `change`."""
    header, structure, blob = (shipped.DATA / f"{name}.json").read_text(encoding="utf-8").splitlines()
    data = json.loads(header)
    if change is not None:
        change(data)
    (tmp_path / f"{name}.json").write_text(f"{json.dumps(data)}\n{structure}\n{blob}\n", encoding="utf-8")
    return tmp_path


def test_a_shipped_plan_built_for_other_sources_or_settings_is_ignored(tmp_path):
    """Another fingerprint, format, exercise or seed in the header: the plan is not used."""
    exercise = by_name()["grad_dot"]
    assert shipped.load(exercise, SETTINGS, _copy(tmp_path, "grad_dot")) is not None
    for key, value in [("fingerprint", "0" * 64), ("format", 0), ("exercise", "jac_mul"), ("seed", 1)]:
        folder = _copy(tmp_path, "grad_dot", lambda data, k=key, v=value: data.__setitem__(k, v))
        assert shipped.load(exercise, SETTINGS, folder) is None, key
    other = dataclasses.replace(SETTINGS, examples=50)
    assert shipped.load(exercise, other, _copy(tmp_path, "grad_dot")) is None


def test_a_damaged_shipped_plan_is_ignored(tmp_path):
    """A structure or numbers cut short, an offset past the numbers, a missing file: drawn instead."""
    exercise = by_name()["grad_dot"]
    header, structure, blob = (shipped.DATA / "grad_dot.json").read_text(encoding="utf-8").splitlines()
    file = tmp_path / "grad_dot.json"
    for damaged in [
        f"{header}\n{structure[: len(structure) // 2]}\n{blob}\n",
        f"{header}\n{structure}\n{blob[: len(blob) // 2 - 3]}\n",
        f"{header}\n{structure}\n{blob[:8]}\n",
        f"{header}\n{structure}\n",
    ]:
        file.write_text(damaged, encoding="utf-8")
        assert shipped.load(exercise, SETTINGS, tmp_path) is None
    file.write_text(f"{header}\n{structure}\n{blob}\n", encoding="utf-8")
    assert shipped.load(exercise, SETTINGS, tmp_path) is not None
    assert shipped.load(by_name()["jac_mul"], SETTINGS, tmp_path) is None


def test_an_exercise_declared_otherwise_under_a_built_in_name_gets_no_shipped_plan():
    """An instructor's own `grad_dot` (another reference) is drawn, never read from the package."""
    exercise = by_name()["grad_dot"]
    own = dataclasses.replace(exercise, reference=lambda w, x: np.asarray(x, dtype=np.float64))
    assert shipped.load(exercise, SETTINGS) is not None
    assert shipped.load(own, SETTINGS) is None
    with_points = dataclasses.replace(exercise, points=exercise.points + 1)
    assert shipped.load(with_points, SETTINGS) is not None


def test_shipped_arrays_are_read_only_and_kept_for_the_next_submission():
    """No submission can change what the next one is judged on; the plan is read once."""
    exercise = by_name()["backprop"]
    found = plan_exercise(exercise, SETTINGS)
    assert found is not None
    for planned in found.cases:
        for value in planned.inputs.values():
            for array in value if isinstance(value, list) else [value]:
                if isinstance(array, np.ndarray):
                    assert not array.flags.writeable
                    with pytest.raises(ValueError):
                        array.flags.writeable = True
    assert plan_exercise(exercise, SETTINGS) is found


def test_shipped_plans_can_be_turned_off(monkeypatch):
    """MATGRADE_SHIPPED_PLANS=0: the plan is drawn, and equals the shipped one."""
    exercise = by_name()["grad_dot"]
    monkeypatch.setenv("MATGRADE_SHIPPED_PLANS", "0")
    assert shipped.shipped_plan(exercise, SETTINGS) is None
    monkeypatch.delenv("MATGRADE_SHIPPED_PLANS")
    assert shipped.shipped_plan(exercise, SETTINGS) is not None


def test_the_build_writes_the_plans_it_is_asked_for(tmp_path):
    """`build` into a folder writes two files per exercise, its plan and its small plan (the
    shrinker's starting points, recording.small_plan), which `load` reads back."""
    from grader.checking.recording import SMALL_EXAMPLES, SMALL_SEED, draw_small

    chosen = [by_name()["grad_dot"], by_name()["num_minibatches"]]
    assert shipped.build(SETTINGS, tmp_path, chosen, say=lambda _: None) == ["grad_dot", "num_minibatches"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "grad_dot.json",
        "grad_dot.small.json",
        "num_minibatches.json",
        "num_minibatches.small.json",
    ]
    small = Settings(seed=SMALL_SEED, examples=SMALL_EXAMPLES, batch=SETTINGS.batch)
    for exercise in chosen:
        assert shipped.load(exercise, SETTINGS, tmp_path) is not None
        loaded = shipped.load(exercise, small, tmp_path, variant="small")
        assert loaded is not None
        drawn = draw_small(exercise, small)
        assert len(loaded.cases) == len(drawn) == SMALL_EXAMPLES
        for a, b in zip(loaded.cases, drawn, strict=True):
            assert a.inputs.keys() == b.inputs.keys()
            assert all(np.array_equal(a.inputs[k], b.inputs[k]) for k in a.inputs)
