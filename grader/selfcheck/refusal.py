"""Refusals of misuse: what check() will not check, said as a result the student can read.

A refusal is raised inside check() as `Refused` and returned as a CheckResult that is not
checked (its report not loaded, the message its one error), so that a notebook shows a
sentence instead of a traceback.  Each message says what was wrong and what to do.
"""

from __future__ import annotations

import difflib
import math
from typing import Any

from grader.report import ExerciseResult, Report
from grader.selfcheck.result import CheckResult

__all__ = ["MIN_TIMEOUT", "OPTIONS_HELP", "Refused", "exercise_name", "not_checked", "validate_options"]

MIN_TIMEOUT = 0.01  # seconds, as `grade --timeout` takes it


class Refused(Exception):
    """The function cannot be sent to the worker; the message says why and what to do."""


OPTIONS_HELP = "for example check(neuron_grad, seed=7, examples=200, timeout=2.0)"


def validate_options(seed: Any, examples: Any, timeout: Any) -> None:
    """Refuse options `grade` would refuse, in words for check()'s keywords.

    Only the type and sign are checked here; the library's own bounds (the largest number
    of examples) come back from grade_submission as a UsageError.
    """
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise Refused(f"seed must be a whole number, not {seed!r}; {OPTIONS_HELP}.")
    if examples is not None and (isinstance(examples, bool) or not isinstance(examples, int)):
        raise Refused(f"examples must be a whole number of at least 1, not {examples!r}; {OPTIONS_HELP}.")
    if examples is not None and examples < 1:
        raise Refused(
            f"examples must be at least 1, not {examples}: it is the number of generated inputs "
            f"to check the function on; {OPTIONS_HELP}."
        )
    if timeout is not None:
        number = not isinstance(timeout, bool) and isinstance(timeout, (int, float))
        if not number or not math.isfinite(timeout) or timeout < MIN_TIMEOUT:
            raise Refused(
                f"timeout must be a number of seconds of at least {MIN_TIMEOUT} (the time limit of "
                f"one call of the function), not {timeout!r}; {OPTIONS_HELP}."
            )


def exercise_name(function: Any, exercise: str | None) -> str:
    from exercises import by_name

    known = by_name()
    name = exercise if exercise is not None else getattr(function, "__name__", None)
    if isinstance(name, str) and name in known:
        return name
    close = difflib.get_close_matches(str(name), list(known), n=1)
    suggestion = close[0] if close else "neuron_grad"
    if exercise is None:
        guess = f"; did you mean `{close[0]}`?" if close else "."
        raise Refused(
            f"`{name}` is not the name of an exercise{guess}  Name the function like its "
            f"exercise (def {suggestion}(...)), or say which it is: check({name}, {suggestion!r}).  "
            "`grade list` shows the exercises."
        )
    guess = f"; did you mean {suggestion!r}?" if close else "."
    raise Refused(f"no exercise named {exercise!r}{guess}  `grade list` shows them.")


def not_checked(name: str, seed: int, message: str) -> CheckResult:
    from exercises import by_name

    known = by_name().get(name)
    results: tuple[ExerciseResult, ...] = ()
    if known is not None:
        results = (
            ExerciseResult.zero(name, known.set, known.points, "error", "not checked: see the error above"),
        )
    report = Report(
        submission=f"check({name})", seed=seed, exercises=results, errors=(message,), loaded=False
    )
    return CheckResult(report=report, exercise=name)
