"""grade(): a submission path in, a Report out.  The library API that every front end calls.

The flow is one way: read the file, start the worker (it imports numpy while the grader
imports Hypothesis), load the submission in it, then check each exercise the contract
names; a missing function is `missing`, with a "did you mean" when a name is close.
A notebook is loaded cell by cell: a cell that fails is listed in the report's errors (and
its `notebook` section), and what the other cells define is graded.

An exercise's time limit is the student's (grader/checking/checker.py); when matgrade's own work on
an exercise takes longer than that limit, the report's notes say so and what to lower.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from grader.errors import SubmissionError, UsageError
from grader.exercise import Exercise, select_exercises
from grader.report import CellError, ExerciseResult, NotebookRun, Report
from grader.sandbox import Limits

if TYPE_CHECKING:
    from grader.checking import Settings
    from grader.sandbox import CellFailure, Sandbox
    from grader.submission import Notebook, Submission

__all__ = [
    "DEFAULT_SEED",
    "MAX_EXAMPLES",
    "Options",
    "Progress",
    "grade",
    "grade_submission",
    "prepare",
]

DEFAULT_SEED = 20261122
# Generated inputs per exercise at most: at 5,000 matgrade's own work on the slowest exercise
# (backprop_batch) takes about 20 s on a busy 2-core machine, inside the default limit of 30 s,
# and a complete submission stays well inside the worker's 600 s (README, "Isolation and limits").
MAX_EXAMPLES = 5_000

Progress = Callable[[str], None]  # told the name of each exercise once it is graded


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


def _unloadable(
    path: str, seed: int, exercises: Sequence[Exercise], message: str, assigned: bool = False
) -> Report:
    results = tuple(
        ExerciseResult(
            name=e.name,
            set=e.set,
            status="error",
            score=0.0,
            max_score=e.points,
            message="the submission could not be loaded",
        )
        for e in exercises
    )
    return Report(
        submission=path, seed=seed, exercises=results, errors=(message,), loaded=False, assigned=assigned
    )


def _load_message(error: dict[str, object], path: str, notebook: bool = False) -> str:
    kind = str(error.get("type") or "Error")
    message = str(error.get("message") or "")
    line = error.get("line")
    if kind == "SyntaxError":
        text = str(error.get("text") or "")
        offset = error.get("offset")
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
    trace = str(error.get("traceback") or "").rstrip()
    where = f" (line {line})" if line else ""
    out = f"{path} raised {kind} while it was loaded{where}: {message}"
    if trace:
        out += "\n" + trace
    return out + "\nFix the code at the top level of the file; every function is then graded."


_CELL_HINTS = {
    "SystemExit": "a notebook cell must not exit; remove the sys.exit()/exit() call",
    "KeyboardInterrupt": "a notebook cell must not raise KeyboardInterrupt",
    "EOFError": "input() cannot be answered while grading; remove it or give the value directly",
}


def _cell_message(error: CellError, label: str) -> str:
    """One cell's failure as a student reads it: what, where, and their own frames."""
    if error.type == "Timeout":
        return f"{label} was stopped: {error.message}; the other cells ran"
    if error.type == "Crash":
        reason = error.message.split(";")[0]
        return f"{label} {reason}; it was left out and the other cells ran without it"
    out = f"{label} raised {error.type}"
    if error.message:
        out += f": {error.message}"
    if error.line is not None:
        out += f" (line {error.line})"
    if error.type in _CELL_HINTS:
        out += f"; {_CELL_HINTS[error.type]}"
    trace = error.traceback.rstrip()
    return out + ("\n" + trace if trace else "")


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


def _missing(exercise: Exercise, names: dict[str, str]) -> ExerciseResult:
    name = exercise.name
    from exercises import by_name

    known = set(by_name())
    candidates = [n for n in names if n not in known]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    message = f"no function `{name}` in the submission"
    if close:
        message += f"; did you mean `{close[0]}`? Rename it to `{name}`."
    return ExerciseResult(
        name=name,
        set=exercise.set,
        status="missing",
        score=0.0,
        max_score=exercise.points,
        message=message,
    )


def _none_defined(results: Sequence[ExerciseResult]) -> str:
    """The error of a submission that defines none of its assigned exercises."""
    names = ", ".join(f"`{r.name}`" for r in results)
    out = f"the submission defines none of the assigned exercises; expected the functions {names}"
    near = [r.message.split("; ", 1)[1] for r in results if "did you mean" in r.message]
    if near:
        out += "\n" + "\n".join(near)
    return out + "\nName each function exactly as the assignment does (`grade list` shows the signatures)."


def _not_a_function(exercise: Exercise, kind: str) -> ExerciseResult:
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


# CPU milliseconds per exercise at 100 examples (drawing, reference, judging; measured with
# check_exercise on examples/correct.py), and the one-off cost of importing sympy and its first
# lambdify in a process that grades a symbolic exercise (set so the two jobs of --jobs 2 end together).
_COST = {
    "scalar": 55,
    "jacobians": 65,
    "elementwise": 90,
    "reductions": 75,
    "neuron": 70,
    "loss": 85,
    "backprop": 80,
}
_SYMPY_START = 650


def _split(exercises: Sequence[Exercise], jobs: int) -> list[list[Exercise]]:
    """Deal the exercises into `jobs` groups of about equal cost (greedy, deterministic).

    The exercises declared by a sympy primal stay together: each process that grades one
    pays for sympy's first lambdify.
    """
    symbolic = [e for e in exercises if e.symbolic is not None]
    units: list[list[Exercise]] = [[e] for e in exercises if e.symbolic is None]
    if symbolic:
        units.append(symbolic)

    def cost(unit: list[Exercise]) -> int:
        start = _SYMPY_START if unit[0].symbolic is not None else 0
        return start + sum(_COST.get(e.set, 80) for e in unit)

    groups: list[list[Exercise]] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    for unit in sorted(units, key=lambda u: -cost(u)):
        i = loads.index(min(loads))
        groups[i].extend(unit)
        loads[i] += cost(unit)
    return [g for g in groups if g]


def _with_points(exercises: Sequence[Exercise], points: Mapping[str, float]) -> list[Exercise]:
    """The exercises, each worth `points[name]` when it is given there."""
    return [replace(e, points=points[e.name]) if e.name in points else e for e in exercises]


# In a forked pool child of grade_submission: where it tells the parent of each exercise
# it has graded (set by _tell_through; None everywhere else).
_told: Progress | None = None


def _tell_through(finished: Any) -> None:
    """Pool initializer: tell the parent of each graded exercise through the queue `finished`."""
    global _told
    _told = finished.put


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

    told = told or _told
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
    """Check one exercise; with a note when matgrade's own work on it overran the time limit.

    The student's time (the sandbox's `student_seconds`) is the limit's business; the rest,
    by the sandbox's clock, is matgrade's: drawing inputs, reference answers, judging.
    """
    began, student = sandbox.clock(), sandbox.student_seconds
    result = _check_one(exercise, sandbox, names, settings, check)
    own = (sandbox.clock() - began) - (sandbox.student_seconds - student)
    return result, _slow_note(exercise.name, own, settings)


def _slow_note(name: str, own: float, settings: Settings) -> str | None:
    """What to change when matgrade's own work on exercise `name` took `own` seconds; None if fine.

    It is too long once it exceeds the exercise's own time limit: the student's code gets
    that long, and the grader should not need more.
    """
    if own <= settings.exercise_seconds:
        return None
    return (
        f"matgrade's own work on `{name}` took {own:.0f} s (drawing and checking "
        f"{settings.examples} inputs, beyond the {settings.exercise_seconds:g} s the student's "
        "function may take); lower --examples (or `examples` in the assignment) for a faster run"
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


class _Relay:
    """Reads the names of graded exercises from the pool's queue and tells `progress`."""

    def __init__(self, finished: Any, progress: Progress) -> None:
        import threading

        self.finished = finished
        self.progress = progress
        self.thread = threading.Thread(target=self._run, name="matgrade-progress", daemon=True)

    def _run(self) -> None:
        while (name := self.finished.get()) is not None:
            self.progress(name)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        """Wait until every name sent so far has been told, then end the thread."""
        self.finished.put(None)
        self.thread.join()


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


def _chosen(options: Options) -> list[Exercise]:
    """The exercises `options` select, with their points; UsageError for bad options."""
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
    exercises = _chosen(options)
    try:
        submission = read_submission(path)
    except SubmissionError as exc:
        return _unloadable(path, options.seed, exercises, str(exc))
    return grade_submission(submission, options, progress)


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
    path = submission.path
    points = dict(options.points)
    exercises = _chosen(options)
    settings = _settings(options)
    groups = _split(exercises, max(1, min(options.jobs, len(exercises))))
    pending = []
    pool = None
    told = progress
    relay: _Relay | None = None
    if len(groups) > 1:
        import multiprocessing

        # fork: the children start at once with everything imported; each runs its own worker.
        context = multiprocessing.get_context("fork")
        if progress is None:
            pool = context.Pool(len(groups) - 1)
        else:
            # Every group, this process's too, tells one queue; one thread here reads it.
            relay = _Relay(context.SimpleQueue(), progress)
            pool = context.Pool(len(groups) - 1, initializer=_tell_through, initargs=(relay.finished,))
            relay.start()
            told = relay.finished.put
        for group in groups[1:]:
            names = [e.name for e in group]
            pending.append(
                pool.apply_async(
                    _check_group, (submission, options.limits, settings, names, points)
                )
            )
    try:
        first = [e.name for e in groups[0]]
        outcomes = [_check_group(submission, options.limits, settings, first, points, told)]
        outcomes.extend(job.get() for job in pending)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        if relay is not None:
            relay.stop()
    by_exercise: dict[str, ExerciseResult] = {}
    notes: dict[str, None] = {}
    advice: list[str] = []
    graded: list[_Graded] = []
    for outcome in outcomes:
        if isinstance(outcome, str):
            return _unloadable(path, options.seed, exercises, outcome)
        graded.append(outcome)
        by_exercise.update((r.name, r) for r in outcome.results)
        notes.update(dict.fromkeys(outcome.notes))
        advice.extend(outcome.advice)
    results = [by_exercise[e.name] for e in exercises]
    run = None
    errors: tuple[str, ...] = ()
    if submission.notebook is not None:
        # Every worker ran the same cells; the first one's failures are reported.
        run = _notebook_run(submission.notebook, graded[0].cells)
        labels = {cell.number: cell.label for cell in submission.notebook.cells}
        errors = tuple(_cell_message(e, labels[e.cell]) for e in run.cell_errors)
        if run.upgraded_from is not None:
            notes = {f"the notebook was upgraded from format version {run.upgraded_from} to 4": None, **notes}
    if options.assigned and all(r.status == "missing" for r in results):
        errors = (*errors, _none_defined(results))
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
