"""grade(): a submission path in, a Report out.  The library API that every front end calls.

The flow is one way: read the file, start the worker (it imports numpy while the grader
imports Hypothesis), load the submission in it, then check each exercise the contract
names; a missing function is `missing`, with a `suggestion` when a name is close
(grader/grading/ungraded.py).  A notebook is loaded cell by cell: a cell that fails is a record in
the report's `notebook` section (its prose in `Report.all_errors`), and what the other
cells define is graded.  With --jobs N the exercises are split (grader/grading/workload.py) among
forked processes, whose progress a relay reports (grader/grading/relay.py).

An exercise's time limit is the student's (grader/checking/run.py); when matgrade's own work on
an exercise takes longer than that limit, the report's notes say so and what to lower.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from grader.errors import SubmissionError, UsageError
from grader.exercise import Exercise, select_exercises
from grader.grading.overrun import timed
from grader.grading.relay import Progress, Relay, tell_through
from grader.grading.relay import told as progress_told
from grader.grading.ungraded import missing as _missing
from grader.grading.ungraded import none_defined, unloadable
from grader.grading.ungraded import not_a_function as _not_a_function
from grader.grading.workload import split
from grader.report import CellError, ExerciseResult, NotebookRun, Report
from grader.sandbox import Limits

if TYPE_CHECKING:
    from grader.checking import Settings
    from grader.sandbox import CellFailure, LoadError, Sandbox
    from grader.submission import Notebook, Submission

__all__ = [
    "DEFAULT_SEED",
    "MAX_EXAMPLES",
    "Options",
    "Progress",
    "chosen",
    "grade",
    "grade_submission",
    "prepare",
]

DEFAULT_SEED = 20261122
# Generated inputs per exercise at most: at 5,000 matgrade's own work on the slowest exercise
# (backprop_batch) takes about 20 s on a busy 2-core machine, inside the default limit of 30 s,
# and a complete submission stays well inside the worker's 600 s (README, "Isolation and limits").
MAX_EXAMPLES = 5_000

@dataclass(frozen=True, slots=True)
class Options:
    """What to check and how hard: the CLI's options, as a record."""

    seed: int = DEFAULT_SEED
    examples: int = 100
    only: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    jobs: int = 2
    # (exercise name, points) pairs that replace the exercises' own points (an assignment's).
    points: tuple[tuple[str, float], ...] = ()
    # The exercises were assigned (an assignment names them): a file defining none fails.
    assigned: bool = False
    # A failing exercise earns a share for the parts of its answer that are right
    # (grader/checking/scoring.py); off by default: only a passing exercise scores.
    partial_credit: bool = False


def _load_message(error: LoadError, path: str, notebook: bool = False) -> str:
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


def _notebook_run(notebook: Notebook, failures: Sequence[CellFailure]) -> NotebookRun:
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


def _with_points(exercises: Sequence[Exercise], points: Mapping[str, float]) -> list[Exercise]:
    """The exercises, each worth `points[name]` when it is given there."""
    return [replace(e, points=points[e.name]) if e.name in points else e for e in exercises]


@dataclass(frozen=True, slots=True)
class _Graded:
    """What one group of exercises came back with from its worker."""

    results: tuple[ExerciseResult, ...]
    notes: tuple[str, ...]  # what isolation this machine lacks
    cells: tuple[CellFailure, ...]  # the notebook cells that failed (none for a .py file)
    advice: tuple[str, ...]  # each exercise on which matgrade's own work overran its limit


def _check_group(
    submission: Submission,
    limits: Limits,
    settings: Settings,
    names: Sequence[str],
    points: Mapping[str, float],
    told: Progress | None = None,
) -> _Graded | str:
    """Check the named exercises in a worker of their own; a load error comes back as text.

    `told` (in a pool child: `_told`) hears each exercise's name once it is graded.
    """
    from exercises import by_name
    from grader.sandbox import Sandbox

    told = told or progress_told()
    # Exercises hold strategies and lambdas, so the names travel to the pool, not the records.
    chosen = _with_points([by_name()[n] for n in names], points)
    cells = submission.notebook.cells if submission.notebook is not None else ()
    with Sandbox(submission.source, submission.filename, limits, cells=cells) as sandbox:
        # The worker starts (and imports numpy) while the grader imports what checking needs.
        import hypothesis.strategies  # noqa: F401

        from grader.checking import check_exercise

        loaded = sandbox.load()
        if loaded.error is not None:
            return _load_message(loaded.error, submission.path, notebook=bool(cells))
        results = []
        slow = []
        for exercise in chosen:
            result, note = _timed(exercise, sandbox, loaded.names, settings, check_exercise)
            results.append(result)
            slow.extend([note] if note else [])
            if told is not None:
                told(exercise.name)
        notes = sandbox.isolation.notes if sandbox.isolation is not None else ()
        return _Graded(tuple(results), tuple(notes), tuple(loaded.cells), tuple(slow))


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


def _settings(options: Options) -> Settings:
    from grader.checking import Settings

    return Settings(
        seed=options.seed,
        examples=options.examples,
        exercise_seconds=options.limits.exercise_seconds,
        partial_credit=options.partial_credit,
    )


def prepare(options: Options) -> None:
    """Draw the inputs `options` select, with their reference values, once in this process.

    Grading then judges each submission on them (grader/checking/plan.py); processes forked
    afterwards (`grade batch`) inherit them instead of drawing them again.
    """
    from grader.checking import plan_exercise

    settings = _settings(options)
    for exercise in select_exercises(options.only):
        plan_exercise(exercise, settings)


def chosen(options: Options) -> list[Exercise]:
    """The exercises `options` select, with their points, in catalogue order.

    Raises UsageError when `options.examples` is outside 1 to MAX_EXAMPLES.
    """
    if not 1 <= options.examples <= MAX_EXAMPLES:
        raise UsageError(
            f"--examples must be from 1 to {MAX_EXAMPLES:,}, not {options.examples:,}: "
            "matgrade draws and checks every input itself"
        )
    return _with_points(select_exercises(options.only), dict(options.points))


def grade(path: str, options: Options | None = None, progress: Progress | None = None) -> Report:
    """Grade the submission at `path`; see Options and grade_submission.

    Raises UsageError for bad options only.
    """
    from grader.submission import read_submission

    options = options or Options()
    exercises = chosen(options)
    try:
        submission = read_submission(path)
    except SubmissionError as exc:
        return unloadable(path, options.seed, exercises, str(exc))
    return _graded(submission, options, exercises, progress)


def grade_submission(
    submission: Submission, options: Options | None = None, progress: Progress | None = None
) -> Report:
    """Grade source code already read (a file's, or one `grader.checking.checker` built); see Options.

    The report names `submission.path`; the source runs only in the worker, as
    `submission.filename` (the name its tracebacks show).  `progress`, when given, is called
    with each exercise's name once it is graded, from one thread of this process (not
    necessarily the caller's), never when the submission cannot be loaded.
    """
    options = options or Options()
    return _graded(submission, options, chosen(options), progress)


def _graded(
    submission: Submission, options: Options, exercises: list[Exercise], progress: Progress | None
) -> Report:
    """The report of `exercises` (chosen once, by the caller) on a submission already read."""
    groups = split(exercises, max(1, min(options.jobs, len(exercises))))
    outcomes = _run_groups(submission, options, [[e.name for e in g] for g in groups], progress)
    return _gathered(submission, options, exercises, outcomes)


def _run_groups(
    submission: Submission, options: Options, groups: list[list[str]], progress: Progress | None
) -> list[_Graded | str]:
    """Check each group of named exercises: the first in this process, the others in forked ones."""
    settings = _settings(options)
    points = dict(options.points)
    pending = []
    pool = None
    told = progress
    relay: Relay | None = None
    if len(groups) > 1:
        import multiprocessing

        # fork: the children start at once with everything imported; each runs its own worker.
        context = multiprocessing.get_context("fork")
        if progress is None:
            pool = context.Pool(len(groups) - 1)
        else:
            # Every group, this process's too, tells one queue; one thread here reads it.
            relay = Relay(context.SimpleQueue(), progress)
            pool = context.Pool(len(groups) - 1, initializer=tell_through, initargs=(relay.finished,))
            relay.start()
            told = relay.finished.put
        for names in groups[1:]:
            pending.append(
                pool.apply_async(
                    _check_group, (submission, options.limits, settings, names, points)
                )
            )
    try:
        outcomes = [_check_group(submission, options.limits, settings, groups[0], points, told)]
        outcomes.extend(job.get() for job in pending)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        if relay is not None:
            relay.stop()
    return outcomes


def _gathered(
    submission: Submission, options: Options, exercises: Sequence[Exercise], outcomes: list[_Graded | str]
) -> Report:
    """The report of the groups' outcomes, in exercise order; unloadable if one could not load."""
    path = submission.path
    by_exercise: dict[str, ExerciseResult] = {}
    notes: dict[str, None] = {}
    advice: list[str] = []
    graded: list[_Graded] = []
    for outcome in outcomes:
        if isinstance(outcome, str):
            return unloadable(path, options.seed, exercises, outcome)
        graded.append(outcome)
        by_exercise.update((r.name, r) for r in outcome.results)
        notes.update(dict.fromkeys(outcome.notes))
        advice.extend(outcome.advice)
    results = [by_exercise[e.name] for e in exercises]
    run = None
    if submission.notebook is not None:
        # Every worker ran the same cells; the first one's failures are reported.
        run = _notebook_run(submission.notebook, graded[0].cells)
        if run.upgraded_from is not None:
            notes = {f"the notebook was upgraded from format version {run.upgraded_from} to 4": None, **notes}
    errors: tuple[str, ...] = ()
    if options.assigned and all(r.status == "missing" for r in results):
        errors = (none_defined(results),)
    return Report(
        submission=path,
        seed=options.seed,
        exercises=tuple(results),
        errors=errors,
        notes=tuple(notes),
        notebook=run,
        assigned=options.assigned,
        advice=tuple(advice),
    )
