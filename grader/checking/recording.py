"""Plans drawn by the search: the input sets a passing submission is checked on, recorded once.

The very search of `Run.search`, with a body that records instead of calling the student:
Hypothesis's draws depend on the seed and on which test cases fail, and none fails here, so
the inputs are those a passing submission is checked on, in order (grader/checking/plan.py
keeps them).  A submission is judged on them as they are drawn, and drawing stops at its
first failure, for the search to meet again and shrink.
"""

from __future__ import annotations

import contextlib
from typing import Any

from grader.checking.harness import hypothesis_home, hypothesis_test
from grader.checking.identities import identities_of
from grader.checking.plan import Plan, Planned, frozen, keep, kept, key_of, plan_for, prepare
from grader.checking.run import Run, reference, take
from grader.checking.settings import Settings
from grader.checking.shipped import shipped_plan
from grader.checking.signals import Caught, Enough
from grader.exercise import Exercise, spec_of
from grader.timing import phase

__all__ = [
    "SMALL_EXAMPLES",
    "SMALL_SEED",
    "draw_small",
    "passes_plan",
    "plan_exercise",
    "ready_plan",
    "record",
    "small_plan",
]

SMALL_EXAMPLES = 96  # input sets of the small plan (three draws of 32)
SMALL_SEED = 20261122  # the default seed (grader.grading.DEFAULT_SEED): see small_plan


class _Recorder:
    """The body of the recording search; judges what it records when given a run."""

    def __init__(self, exercise: Exercise, settings: Settings, run: Run | None) -> None:
        self.exercise = exercise
        self.settings = settings
        self.run = run
        self.recorded: list[Planned] = []

    def __call__(self, batch: list[dict[str, Any]]) -> None:
        with phase("reference"):
            for inputs in batch:
                expected = reference(self.exercise, inputs)
                self.recorded.append(
                    Planned(inputs=frozen(inputs), expected=expected, spec=spec_of(expected))
                )
        if self.run is not None:
            self.flush(everything=False)
        if len(self.recorded) >= self.settings.examples:
            raise Enough

    def flush(self, everything: bool) -> None:
        """Judge the recorded input sets not judged yet, a call per few (all when `everything`)."""
        run, recorded = self.run, self.recorded
        assert run is not None
        while run.checked < len(recorded):
            size = run.next_size()
            if not everything and len(recorded) - run.checked < size:
                return
            if not run.judge(take(recorded, run.checked, size)):
                raise Caught


def record(
    exercise: Exercise, settings: Settings, run: Run | None = None, *, explicit: bool = True
) -> list[Planned]:
    """The input sets (and reference answers) the search checks on a passing submission.

    With `run`, the student is judged on them as they come, a call per few input sets, and
    drawing stops (raising Caught) at the first failure.
    """
    recorder = _Recorder(exercise, settings, run)
    test = hypothesis_test(exercise, settings, recorder, explicit=explicit)
    with hypothesis_home(), contextlib.suppress(Enough), phase("input generation"):
        test()
    if run is not None:
        recorder.flush(everything=True)
    return recorder.recorded


def ready_plan(exercise: Exercise, settings: Settings) -> Plan | None:
    """The plan kept in the process, else the one shipped with the package (kept from then on)."""
    key = key_of(exercise, settings.seed, settings.examples, settings.batch)
    ready = kept(key)
    if ready is None:
        ready = shipped_plan(exercise, settings)
        if ready is not None:
            keep(key, ready)
    return ready


def plan_exercise(exercise: Exercise, settings: Settings) -> Plan | None:
    """The plan of `exercise` under `settings`: kept, shipped, or drawn the first time
    (grader/checking/plan.py, grader/checking/shipped.py)."""
    ready = ready_plan(exercise, settings)
    if ready is not None:
        return ready
    return plan_for(
        exercise,
        identities_of(exercise),
        seed=settings.seed,
        examples=settings.examples,
        batch=settings.batch,
        draw=lambda: record(exercise, settings),
    )


def passes_plan(run: Run) -> bool:
    """Whether the student passes on every planned input set of the exercise.

    With a plan kept (a batch, a second run in the process) or shipped (the default seed and
    examples), the student is judged on it; else the plan is drawn while the student is
    judged on it, and kept when it is complete.
    """
    exercise, settings = run.exercise, run.settings
    key = key_of(exercise, settings.seed, settings.examples, settings.batch)
    ready = ready_plan(exercise, settings)
    if ready is not None:
        return run.replay(ready.cases)
    try:
        cases = record(exercise, settings, run)
    except Caught:
        return False
    except Exception:  # a reference that raises: the search reports what happens
        return False
    keep(key, Plan(cases=tuple(cases)))
    return True


def draw_small(exercise: Exercise, small: Settings) -> list[Planned]:
    """The small plan's input sets: draws with every side, layer count and batch 1, then at most
    2, with their structure and corners (a unit next to the kink, a saturated one), then plain;
    the explicit examples are not among them (the search judges them itself)."""
    from grader.exercise.strategies import plain_only, small_sides  # Hypothesis: only here

    share = max(1, small.examples // 3)
    part = Settings(seed=small.seed, examples=share, batch=small.batch)
    found: list[Planned] = []
    with small_sides(1):
        found += record(exercise, part, explicit=False)
    with small_sides(2):
        found += record(exercise, part, explicit=False)
    with plain_only(), small_sides(2):
        found += record(exercise, part, explicit=False)
    return found


def small_plan(exercise: Exercise, settings: Settings) -> Plan | None:
    """Draws with every side, layer count and batch 1 or 2 (`draw_small`): where a failing
    answer's smallest counterexample usually lies, for the shrinker to start from (shrink.py).

    Drawn with SMALL_SEED whatever the run's seed: it only gives the shrinking its starting
    points, once something failed, so it is shipped for every built-in exercise and kept in
    the process like a plan for the others.  None when the reference raises on a draw.
    """
    small = Settings(seed=SMALL_SEED, examples=SMALL_EXAMPLES, batch=settings.batch)
    key = ("small", key_of(exercise, SMALL_SEED, SMALL_EXAMPLES, settings.batch))
    ready = kept(key) or shipped_plan(exercise, small, variant="small")
    if ready is None:
        try:
            cases = draw_small(exercise, small)
        except Exception:  # a reference that raises: the plain search reports what happens
            return None
        prepare(exercise, identities_of(exercise), cases)
        ready = Plan(cases=tuple(cases))
    keep(key, ready)
    return ready
