"""One group of exercises checked in a worker of its own: load the submission, check each one.

`grade_submission` (grader/grading/__init__.py) runs the first group in its own process and
the others in forked pool children, which receive `check_group` by its qualified name (so it
stays a module-level function) and the exercises by name.  A submission that cannot be loaded
comes back as the text of its message (`load_message`); a notebook's failed cells come back
with the results, and `notebook_run` makes them the report's `notebook` section.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from grader.exercise import Exercise
from grader.grading.overrun import timed
from grader.grading.relay import Progress
from grader.grading.relay import told as progress_told
from grader.grading.ungraded import missing as _missing
from grader.grading.ungraded import not_a_function as _not_a_function
from grader.report import CellError, ExerciseResult, NotebookRun, StudentOutput
from grader.sandbox import Isolation, Limits
from grader.sandbox.policy import Trust

if TYPE_CHECKING:
    from grader.checking import Settings
    from grader.sandbox import CellFailure, LoadError, Sandbox
    from grader.submission import Notebook, Submission

__all__ = ["Graded", "Unloaded", "check_group", "load_message", "notebook_run", "with_points"]


def with_points(exercises: Sequence[Exercise], points: Mapping[str, float]) -> list[Exercise]:
    """The exercises, each worth `points[name]` when it is given there."""
    return [replace(e, points=points[e.name]) if e.name in points else e for e in exercises]


@dataclass(frozen=True, slots=True)
class Graded:
    """What one group of exercises came back with from its worker."""

    results: tuple[ExerciseResult, ...]
    notes: tuple[str, ...]  # what isolation this machine lacks
    cells: tuple[CellFailure, ...]  # the notebook cells that failed (none for a .py file)
    advice: tuple[str, ...]  # each exercise on which matgrade's own work overran its limit
    output: StudentOutput | None = None  # what the submission printed while it loaded
    isolation: Isolation | None = None  # how the worker was confined, as it said
    load_seconds: float = 0.0  # the worker's time to run the top level (imports), not the calls'


@dataclass(frozen=True, slots=True)
class Unloaded:
    """A group whose worker could not load the submission: the message, and what it printed."""

    message: str
    output: StudentOutput | None = None


def check_group(
    submission: Submission,
    limits: Limits,
    settings: Settings,
    names: Sequence[str],
    points: Mapping[str, float],
    told: Progress | None = None,
    *,
    trust: Trust = Trust.OWN,
) -> Graded | Unloaded:
    """Check the named exercises in a worker of their own; a load error comes back as Unloaded.

    `told` (in a pool child: `_told`) hears each exercise's name once it is graded.
    """
    from exercises import by_name
    from grader.sandbox import Sandbox

    told = told or progress_told()
    # Exercises hold strategies and lambdas, so the names travel to the pool, not the records.
    chosen = with_points([by_name()[n] for n in names], points)
    cells = submission.notebook.cells if submission.notebook is not None else ()
    with Sandbox(submission.source, submission.filename, limits, cells=cells, trust=trust) as sandbox:
        # The worker starts (and imports numpy) while the grader imports what checking needs
        # and reads the plans shipped for these exercises; Hypothesis is imported only when
        # a plan must be drawn or a failure searched.
        from grader.checking import check_exercise

        if not _planned(chosen, settings):
            import hypothesis.strategies  # noqa: F401

        loaded = sandbox.load()
        if loaded.error is not None:
            message = load_message(loaded.error, submission.path, notebook=bool(cells))
            return Unloaded(message, loaded.output)
        results = []
        slow = []
        for exercise in chosen:
            result, note = _timed(exercise, sandbox, loaded.names, settings, check_exercise)
            # What its calls printed is the exercise's (whatever ran before was taken already).
            results.append(replace(result, output=sandbox.take_output()))
            slow.extend([note] if note else [])
            if told is not None:
                told(exercise.name)
        notes = sandbox.isolation.notes if sandbox.isolation is not None else ()
        return Graded(
            tuple(results),
            tuple(notes),
            tuple(loaded.cells),
            tuple(slow),
            loaded.output,
            sandbox.isolation,
            sandbox.load_seconds,
        )


def _planned(exercises: Sequence[Exercise], settings: Settings) -> bool:
    """Read the shipped or kept plans of `exercises`; whether every one was there (none drawn)."""
    from grader.checking.recording import ready_plan

    found = [ready_plan(e, settings) is not None for e in exercises]  # every one read, now
    return all(found)


def _timed(
    exercise: Exercise, sandbox: Sandbox, names: dict[str, str], settings: Settings, check: Any
) -> tuple[ExerciseResult, str | None]:
    """Check one exercise; with a note when matgrade's own work on it overran (grader/grading/overrun.py)."""
    return timed(
        exercise.name, sandbox, settings, lambda: _check_one(exercise, sandbox, names, settings, check)
    )


def _check_one(
    exercise: Exercise,
    sandbox: Any,
    names: dict[str, str],
    settings: Settings,
    check: Callable[[Exercise, Sandbox, Settings], ExerciseResult],
) -> ExerciseResult:
    """Check one exercise by the kind of answer: a formula by check_formula, a function by `check`."""
    kind = names.get(exercise.name)
    if kind is None:
        return _missing(exercise, names)
    if kind == "formula":
        from grader.checking import accepts_formula, check_formula

        if accepts_formula(exercise):
            return check_formula(exercise, sandbox, settings)
    if kind != "function":
        return _not_a_function(exercise, "formula" if kind == "formula" else "value")
    return check(exercise, sandbox, settings)


def load_message(error: LoadError, path: str, notebook: bool = False) -> str:
    kind, message, line = error.type, error.message, error.line
    if kind == "SyntaxError":
        text, offset = error.text, error.offset
        where = f"{path}, line {line}" if line else path
        out = f"syntax error in {where}: {message}"
        if text:
            caret = " " * (max(1, int(offset)) - 1 if isinstance(offset, int) else 0) + "^"
            stripped = text.lstrip()
            caret = (
                caret[len(text) - len(stripped) :]
                if len(caret) > len(text) - len(stripped)
                else "^"
            )
            out += f"\n    {stripped}\n    {caret}"
        return out + "\nFix the line and grade again."
    if kind in ("SystemExit", "KeyboardInterrupt"):
        return (
            f"{path} raised {kind} while it was loaded (line {line}); "
            "a submission must not exit: remove the sys.exit()/exit() call at the top level."
        )
    if kind == "Crash" and notebook:
        return f"{path}: {message}. Look for cells that run for long or end the process, and grade again."
    if kind == "Crash":
        return f"{path}: {message}. Remove code that runs at the top level of the file (outside functions)."
    trace = error.traceback.rstrip()
    where = f" (line {line})" if line else ""
    out = f"{path} raised {kind} while it was loaded{where}: {message}"
    if trace:
        out += "\n" + trace
    return out + "\nFix the code at the top level of the file; every function is then graded."


def notebook_run(notebook: Notebook, failures: Sequence[CellFailure]) -> NotebookRun:
    by_number = {cell.number: cell for cell in notebook.cells}
    errors = tuple(
        CellError(
            cell=failure.number,
            code_cell=by_number[failure.number].code_number,
            type=failure.error.type,
            message=failure.error.message,
            line=failure.error.line,
            traceback=failure.error.traceback,
        )
        for failure in failures
        if failure.number in by_number
    )
    return NotebookRun(
        code_cells=len(notebook.cells),
        skipped=notebook.skipped,
        cell_errors=errors,
        upgraded_from=notebook.upgraded_from,
    )
