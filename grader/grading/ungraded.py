"""The results of exercises checked on no input: a file that cannot load, a function not defined.

A file that loads and defines nothing (empty, comments only, only stubs) is not unloadable:
each exercise is `missing`, and `nothing_yet` says why and what to do: the report's error for
an empty file, its first note for one of stubs (a starter graded as it is: nothing went wrong).

Each earns nothing (`ExerciseResult.zero`).  A missing function names its near miss in a
field of its own, `suggestion`, which the message, the text report and the exit code read.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from grader.report import ExerciseResult, Report

if TYPE_CHECKING:
    from grader.exercise import Exercise
    from grader.submission.blank import Blank

__all__ = ["missing", "none_defined", "not_a_function", "nothing_yet", "unloadable"]


def unloadable(
    path: str, seed: int, exercises: Sequence[Exercise], message: str, assigned: bool = False
) -> Report:
    """The report of a submission that could not be loaded: `message` its one error."""
    results = tuple(
        ExerciseResult.zero(e.name, e.set, e.points, "error", "the submission could not be loaded")
        for e in exercises
    )
    return Report(
        submission=path, seed=seed, exercises=results, errors=(message,), loaded=False, assigned=assigned
    )


def _rename(name: str, suggestion: str) -> str:
    return f"did you mean `{suggestion}`? Rename it to `{name}`."


def missing(exercise: Exercise, names: dict[str, str]) -> ExerciseResult:
    """`missing`: the submission defines no `exercise.name`; `suggestion` is a close name it defines."""
    name = exercise.name
    from exercises import by_name

    known = set(by_name())
    candidates = [n for n in names if n not in known]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    suggestion = close[0] if close else None
    message = f"no function `{name}` in the submission"
    if suggestion is not None:
        message += f"; {_rename(name, suggestion)}"
    return ExerciseResult.zero(
        name, exercise.set, exercise.points, "missing", message, suggestion=suggestion
    )


def none_defined(results: Sequence[ExerciseResult]) -> str:
    """The error of a submission that defines none of its assigned exercises."""
    names = ", ".join(f"`{r.name}`" for r in results)
    out = f"the submission defines none of the assigned exercises; expected the functions {names}"
    near = [_rename(r.name, r.suggestion) for r in results if r.suggestion is not None]
    if near:
        out += "\n" + "\n".join(near)
    return out + "\nName each function exactly as the assignment does (`grade list` shows the signatures)."


def nothing_yet(path: str, kind: Blank) -> str:
    """Why a submission that loaded defines nothing, and what to do: `kind` "empty" or "stubs"."""
    if kind == "stubs":
        return (
            f"{path} holds only stubs: each of its functions still raises NotImplementedError, "
            "so every exercise is missing. Write each answer in place of its `raise "
            "NotImplementedError`; `grade list` shows the exercises' names and signatures."
        )
    return (
        f"{path} is empty: it has no code but comments, imports or blank lines, so every "
        "exercise is missing. Define the exercise functions in it: `grade list` shows their "
        "names and signatures, and `grade start SET` writes a starter file with a stub for each."
    )


def not_a_function(exercise: Exercise, kind: str) -> ExerciseResult:
    """An `error`: the submission's `exercise.name` is a formula or a value, not a function."""
    where = ""
    if kind == "formula":
        where = (
            " (formula answers are taken only in the sets scalar and jacobians, "
            "except jacobian_identity)"
        )
    message = f"`{exercise.name}` is a {kind}, not a function{where}; "
    message += f"define it with def {exercise.signature}:"
    return ExerciseResult.refused(
        exercise.name, exercise.set, exercise.points, message, "is a function", f"found a {kind}"
    )
