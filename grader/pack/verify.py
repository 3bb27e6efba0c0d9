"""`grade pack check`: every reference of a pack judged before any student is, on generated inputs.

For each exercise, on inputs drawn by its own strategy (seeded, so the verdict repeats): the
reference must have the declared shapes (K1, K2), agree with central finite differences of
the primal along random directions (a step that crosses a declared kink is skipped), and,
where the instructor gave both a sympy primal and a numpy derivative, agree with sympy's
derivative.  A disagreement is shrunk by Hypothesis to a small input and reported with the
exercise's name, what disagreed and that input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.errors import PackError
from grader.exercise import Exercise, flatten

__all__ = ["Verdict", "check_pack", "verify_exercise"]

STEP = 1e-6
TOLERANCE = 1e-5  # relative to the size of the terms: far above the steps' error, far below a mistake


@dataclass(frozen=True, slots=True)
class Verdict:
    """One exercise's check: ok, or what disagreed and on which input (plain numbers)."""

    exercise: str
    ok: bool
    checked: int
    message: str = ""
    inputs: Mapping[str, Any] | None = None


def _leaves(value: Any, exercise: Exercise) -> list[tuple[str, np.ndarray[Any, Any]]]:
    return [(label, np.asarray(v, dtype=np.float64)) for label, v in flatten(value, exercise.results)]


def _expected_shape(exercise: Exercise, inputs: Mapping[str, Any], result: int) -> tuple[int, ...]:
    """K1/K2: the value's shape, then the differentiated parameter's."""
    assert exercise.primal is not None
    fd = exercise.finite_differences[result]
    assert isinstance(fd.param, str)
    value = np.shape(exercise.primal(*(inputs[p] for p in exercise.params)))
    return tuple(value) + tuple(np.shape(inputs[fd.param]))


def _smooth(exercise: Exercise, args: list[Any], index: int, step: np.ndarray[Any, Any]) -> bool:
    pre = exercise.pre_activations
    if pre is None:
        return True
    ends = []
    for sign in (1.0, -1.0):
        moved = list(args)
        moved[index] = np.asarray(args[index], dtype=np.float64) + sign * step
        ends.append(np.asarray(pre(*moved), dtype=np.float64))
    return bool(np.all(ends[0] * ends[1] > 0))


def _problem(exercise: Exercise, inputs: Mapping[str, Any], rng: np.random.Generator) -> str | None:
    """What is wrong with the reference at `inputs`, or None."""
    assert exercise.primal is not None
    args = [inputs[p] for p in exercise.params]
    try:
        answer = exercise.reference(*args)
        leaves = _leaves(answer, exercise)
    except PackError as exc:  # the instructor's reference raised (grader/pack/build.py says how)
        said = str(exc).partition(": the pack's ")[2].partition("; `grade pack check")[0]
        return f"the {said}" if said else str(exc)
    except Exception as exc:  # the instructor's reference: its failure is the finding
        return f"the reference raised {type(exc).__name__}: {exc}"
    if len(leaves) != len(exercise.finite_differences):
        return (
            f"the reference returned {len(leaves)} result(s); the exercise declares "
            f"{len(exercise.results)} ({', '.join(exercise.results)})"
        )
    symbolic = exercise.extra.get("pack_sympy_reference")
    if symbolic is not None:
        derived = _leaves(symbolic(*args), exercise)
        for (label, values), (_, wanted) in zip(leaves, derived, strict=True):
            if values.shape != wanted.shape or not np.allclose(values, wanted, rtol=1e-7, atol=1e-9):
                return (
                    f"{label}: the numpy derivative {_short(values)} disagrees with sympy's derivative "
                    f"of the primal {_short(wanted)}"
                )
    for i, (fd, (label, values)) in enumerate(zip(exercise.finite_differences, leaves, strict=True)):
        shape = _expected_shape(exercise, inputs, i)
        if values.shape != shape:
            return f"{label}: the reference has shape {values.shape}; K1/K2 need {shape}"
        assert isinstance(fd.param, str)
        index = exercise.params.index(fd.param)
        point = np.asarray(args[index], dtype=np.float64)
        for _ in range(3):
            u = rng.standard_normal(point.shape)
            h = STEP * max(1.0, float(np.max(np.abs(point), initial=0.0)))
            if not _smooth(exercise, args, index, h * u):
                continue
            ends = []
            for sign in (1.0, -1.0):
                moved = list(args)
                moved[index] = float(point + sign * h * u) if point.ndim == 0 else point + sign * h * u
                ends.append(np.asarray(exercise.primal(*moved), dtype=np.float64))
            numeric = (ends[0] - ends[1]) / (2 * h)
            predicted = np.tensordot(values, u, axes=u.ndim) if u.ndim else values * u
            scale = np.tensordot(np.abs(values), np.abs(u), axes=u.ndim) if u.ndim else np.abs(values * u)
            size = 1.0 + scale + np.abs(ends[0]) / h * 1e-14
            if not np.all(np.abs(numeric - predicted) <= TOLERANCE * size):
                return (
                    f"{label} disagrees with finite differences of the primal along a random direction "
                    f"u of {fd.param}: the reference applied to u gives {_short(predicted)}, "
                    f"the primal's central difference {_short(numeric)}"
                )
    return None


def _short(values: Any) -> str:
    return np.array2string(np.asarray(values, dtype=np.float64), precision=6, separator=", ").replace(
        "\n", ""
    )


def verify_exercise(exercise: Exercise, examples: int = 200) -> Verdict:
    """Judge one pack exercise's reference on `examples` generated inputs (seeded)."""
    from hypothesis import HealthCheck, Phase, given, settings

    from grader.report import plain

    found: list[tuple[str, Mapping[str, Any]]] = []
    checked = [0]

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
    )
    @given(exercise.inputs())
    def search(inputs: dict[str, Any]) -> None:
        checked[0] += 1
        problem = _problem(exercise, inputs, np.random.default_rng(0))
        if problem is not None:
            found.append((problem, inputs))
            raise AssertionError(problem)

    try:
        search()
    except AssertionError:
        message, inputs = found[-1]
        shown = {k: plain(v) for k, v in inputs.items()}
        return Verdict(exercise.name, False, checked[0], message, shown)
    return Verdict(exercise.name, True, checked[0])


def check_pack(exercises: Sequence[Exercise], examples: int = 200) -> list[Verdict]:
    """The verdict of every exercise, in order."""
    return [verify_exercise(e, examples) for e in exercises]
