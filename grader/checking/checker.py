"""Runs one exercise: Hypothesis draws inputs, the sandbox calls the student, identities judge.

Fast path: the inputs the search checks on a passing submission are drawn once per (exercise,
seed, examples) into a plan (plan.py, recording.py), with the reference answers and finite
differences; the student is called on all of them in a few large batches and every identity
is judged.  Only when something fails (or raises) does the Hypothesis search run (run.py): it
meets the same first failure and shrinks it, so the report is the one the search alone gives.

All identities of an exercise are checked on the same example.  Each identity fails with an
exception class of its own, so Hypothesis shrinks a minimal counterexample for each failing
identity separately (report_multiple_bugs) in one search.  A student exception is shrunk
too.  A crash or timeout of the worker, or a stub, stops the search at once (signals.py);
result.py turns what the search found into the exercise's result.

Determinism: the seed of an exercise is derived from the run's seed and the exercise name
(settings.py); Hypothesis runs with database=None, no deadline, a private home directory
that is removed afterwards, and without the constants it would otherwise harvest from
loaded modules (harness.py).
"""

from __future__ import annotations

from grader.checking.harness import hypothesis_home
from grader.checking.identities import identities_of
from grader.checking.recording import passes_plan, plan_exercise
from grader.checking.result import judged, kink_results, stopped
from grader.checking.run import Run
from grader.checking.settings import Settings, exercise_seed
from grader.checking.shrink import find_and_shrink
from grader.checking.signals import Stop
from grader.exercise import Exercise
from grader.report import ExerciseResult
from grader.sandbox import Sandbox

__all__ = ["Settings", "caught", "check_exercise", "exercise_seed", "identities_of", "plan_exercise"]


def check_exercise(exercise: Exercise, sandbox: Sandbox, settings: Settings) -> ExerciseResult:
    """Check one exercise against a loaded sandbox; never raises for student behaviour."""
    run = Run(exercise, sandbox, settings)
    failures: list[BaseException] = []
    try:
        if not passes_plan(run):
            # Something failed: the search meets it again (the same inputs, in the same order,
            # up to it) and shrinks it.  The exercise's clock goes on.
            run = Run(exercise, sandbox, settings, started=run.started, calls=run.calls)
            with hypothesis_home():
                found = find_and_shrink(run)
                if found is None:
                    run = Run(exercise, sandbox, settings, started=run.started, calls=run.calls)
                    found = run.search()
                failures = found
    except Stop as stop:
        return stopped(run, stop)
    return judged(run, failures)


def caught(exercise: Exercise, sandbox: Sandbox, settings: Settings) -> int | None:
    """How many input sets it takes grading at `settings` to fail (or err on) the loaded function.

    The verdict of check_exercise without the search that shrinks the failure: the count
    of planned inputs checked when one failed, or all of them plus one when only the kink
    catches it; None when it passes (bench/bench_thoroughness.py measures this).
    """
    run = Run(exercise, sandbox, settings)
    try:
        if not passes_plan(run):
            return run.checked
    except Stop:
        return max(1, run.checked)
    if any(r.status != "passed" for r in kink_results(exercise, sandbox)):
        return run.checked + 1
    return None
