"""grade(): a submission path in, a Report out.  The library API that every front end calls.

The flow is one way: read the file, start the worker (it imports numpy while the grader
imports Hypothesis), load the submission in it, then check each exercise the contract
names (grader/grading/group.py, one worker per group of exercises); a missing function is
`missing`, with a `suggestion` when a name is close (grader/grading/ungraded.py).  A notebook
is loaded cell by cell: a cell that fails is a record in the report's `notebook` section (its
prose in `Report.all_errors`), and what the other cells define is graded.  With --jobs N the
exercises are split (grader/grading/workload.py) among forked processes, whose progress a
relay reports (grader/grading/relay.py).

An exercise's time limit is the student's (grader/checking/run.py); when matgrade's own work on
an exercise takes longer than that limit, the report's notes say so and what to lower.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from grader.errors import SubmissionError, UsageError
from grader.exercise import Exercise, select_exercises
from grader.grading.group import Graded, Unloaded, check_group, notebook_run, with_points
from grader.grading.relay import Progress, Relay, tell_through
from grader.grading.ungraded import none_defined, nothing_yet, unloadable
from grader.grading.workload import split
from grader.report import Environment, ExerciseResult, Report
from grader.sandbox import Limits
from grader.sandbox.policy import Trust, layers

if TYPE_CHECKING:
    from grader.checking import Settings
    from grader.submission import Submission

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
    # Whose code this is, which decides the isolation it needs (grader/sandbox/policy.py):
    # one's own (`grade FILE`), other people's (`grade batch`), or trusted (`--trusted`).
    trust: Trust = Trust.OWN
    # Exercise packs (paths of instructors' pack files, grader/pack/) whose exercises join the
    # catalogue; with no `only`, a run checks the packs' exercises alone.
    packs: tuple[str, ...] = ()


def _words(options: Options) -> tuple[str, ...]:
    """The `--only` words of a run: `options.only`, or every exercise of its packs when it names none."""
    if not options.packs:
        return options.only
    from grader.pack.loading import selection

    return selection(options.packs, options.only)


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
    for exercise in select_exercises(_words(options)):
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
    return with_points(select_exercises(_words(options)), dict(options.points))


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
    jobs = max(1, min(options.jobs, len(exercises)))
    groups = split(exercises, jobs, planned=jobs > 1 and _shipped(options, exercises))
    outcomes = _run_groups(submission, options, [[e.name for e in g] for g in groups], progress)
    return _gathered(submission, options, exercises, outcomes)


def _shipped(options: Options, exercises: Sequence[Exercise]) -> bool:
    """Whether the plans of every exercise are shipped for these settings (their headers say so)."""
    from grader.checking.shipped import available

    settings = _settings(options)
    return all(available(e, settings) for e in exercises)


def _run_groups(
    submission: Submission, options: Options, groups: list[list[str]], progress: Progress | None
) -> list[Graded | Unloaded]:
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
                    check_group,
                    (submission, options.limits, settings, names, points),
                    {"trust": options.trust},
                )
            )
    try:
        outcomes = [
            check_group(submission, options.limits, settings, groups[0], points, told, trust=options.trust)
        ]
        outcomes.extend(job.get() for job in pending)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        if relay is not None:
            relay.stop()
    return outcomes


def _gathered(
    submission: Submission, options: Options, exercises: Sequence[Exercise], outcomes: list[Graded | Unloaded]
) -> Report:
    """The report of the groups' outcomes, in exercise order; unloadable if one could not load."""
    path = submission.path
    by_exercise: dict[str, ExerciseResult] = {}
    notes: dict[str, None] = {}
    advice: list[str] = []
    graded: list[Graded] = []
    for outcome in outcomes:
        if isinstance(outcome, Unloaded):
            report = unloadable(path, options.seed, exercises, outcome.message)
            return replace(report, load_output=outcome.output)
        graded.append(outcome)
        by_exercise.update((r.name, r) for r in outcome.results)
        notes.update(dict.fromkeys(outcome.notes))
        advice.extend(outcome.advice)
    results = [by_exercise[e.name] for e in exercises]
    run = None
    if submission.notebook is not None:
        # Every worker ran the same cells; the first one's failures are reported.
        run = notebook_run(submission.notebook, graded[0].cells)
        if run.upgraded_from is not None:
            notes = {f"the notebook was upgraded from format version {run.upgraded_from} to 4": None, **notes}
    errors: tuple[str, ...] = ()
    if all(r.status == "missing" for r in results):
        # An empty file or one of stubs loads and defines nothing: all missing, and it is said.
        # An empty file is an error (the wrong file?); a starter graded as it is, a note.
        kind = submission.blank
        if kind == "empty":
            errors = (nothing_yet(path, kind),)
        elif kind == "stubs":
            notes = {nothing_yet(path, kind): None, **notes}
        if options.assigned:
            errors = (*errors, none_defined(results))
    isolation = graded[0].isolation if graded else None
    environment = None if isolation is None else Environment(options.trust.value, layers(isolation))
    return Report(
        submission=path,
        seed=options.seed,
        exercises=tuple(results),
        errors=errors,
        notes=tuple(notes),
        environment=environment,
        notebook=run,
        assigned=options.assigned,
        advice=tuple(advice),
        # Every worker loaded the same submission; the first one's output is reported.
        load_output=graded[0].output,
        load_seconds=_load_seconds(graded),
    )


def _load_seconds(graded: Sequence[Graded]) -> float | None:
    """The longest time a worker took to load the submission, when timing is on (else None).

    It is wall time, so it is left out unless asked for (MATGRADE_TIMING=1): the JSON report
    is otherwise the same, byte for byte, for a seed.
    """
    from grader.timing import enabled

    return max((g.load_seconds for g in graded), default=0.0) if enabled() else None
