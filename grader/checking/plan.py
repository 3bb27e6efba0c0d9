"""Plans: the inputs of an exercise, and the grader's side of its identities, computed once.

With a fixed seed, the Hypothesis search of check.py draws the same inputs for an exercise
whatever the submission, as long as every identity holds: the search depends only on its
seed and on which test cases fail.  So a plan draws them once per (exercise, seed, examples)
with that very search, its body recording instead of calling the student, and computes for
each input set the reference answer and what the identities need from the inputs alone
(finite differences of the primal, ...; see `Planned.memo`).  check.py judges a submission on
the plan in a few large batches, and runs the Hypothesis search itself only when something
fails, to find the same first failure and shrink it.

Plans are kept in the process, at most `_KEEP` of them; `grade batch` builds them before it
forks its workers, which inherit them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from grader.checking.memo import Memo
from grader.exercise import Case, Exercise, Identity

__all__ = ["Plan", "Planned", "forget", "frozen", "keep", "kept", "key_of", "plan_for", "prepare"]

_KEEP = 512


def frozen(values: Mapping[str, Any]) -> dict[str, Any]:
    """One planned input set: the inputs, their arrays made read-only."""
    for value in values.values():
        _freeze(value)
    return dict(values)


def _freeze(value: Any) -> None:
    """Make the arrays of an input read-only: a plan serves many submissions, none may change it."""
    if isinstance(value, list):
        for item in value:
            _freeze(item)
    elif type(value).__name__ == "ndarray":  # numpy is not imported here
        value.flags.writeable = False


@dataclass(frozen=True, slots=True)
class Planned:
    """An input set of the plan, the reference's answer to it, and the worker's result spec.

    Identities store in `memo` what they compute from the inputs alone (it does not depend
    on the student), so judging the next submission on the same plan skips it.
    """

    inputs: Mapping[str, Any]
    expected: Any
    spec: Any
    memo: Memo = field(default_factory=Memo)

    def case(self, exercise: Exercise, got: Any) -> Case:
        """The case of this input set with the student's answer `got`, carrying the memo."""
        return Case(exercise=exercise, inputs=self.inputs, expected=self.expected, got=got, memo=self.memo)


@dataclass(frozen=True, slots=True)
class Plan:
    """The input sets the search checks on a passing submission, in its order."""

    cases: tuple[Planned, ...]


_PLANS: dict[Hashable, Plan | None] = {}

Draw = Callable[[], Sequence[Planned]]


def key_of(exercise: Exercise, seed: int, examples: int, batch: int) -> Hashable | None:
    """What a plan depends on; None when some part cannot be hashed (then it is not kept)."""
    key = (
        exercise.name,
        exercise.params,
        exercise.inputs,
        exercise.examples,
        exercise.reference,
        exercise.primal,
        exercise.finite_differences,
        exercise.pre_activations,
        exercise.identities,
        seed,
        examples,
        batch,
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key


def kept(key: Hashable | None) -> Plan | None:
    """The plan kept under `key`, if any."""
    return _PLANS.get(key) if key is not None else None


def keep(key: Hashable | None, plan: Plan | None) -> None:
    """Keep `plan` under `key` (the oldest plans go first beyond _KEEP)."""
    if key is None:
        return
    while len(_PLANS) >= _KEEP:
        del _PLANS[next(iter(_PLANS))]
    _PLANS[key] = plan


def plan_for(
    exercise: Exercise,
    identities: Sequence[Identity],
    *,
    seed: int,
    examples: int,
    batch: int,
    draw: Draw,
) -> Plan | None:
    """The plan of `exercise` under these settings, built with `draw` the first time.

    `draw` returns the planned input sets the search checks, in order.  None when drawing
    failed (check.py then runs the search as it always did).
    """
    key = key_of(exercise, seed, examples, batch)
    if key is not None and key in _PLANS:
        return _PLANS[key]
    plan = _build(exercise, identities, draw)
    keep(key, plan)
    return plan


def _build(exercise: Exercise, identities: Sequence[Identity], draw: Draw) -> Plan | None:
    try:
        cases = tuple(draw())
    except Exception:  # a reference that raises: the search reports what happens
        return None
    prepare(exercise, identities, cases)
    return Plan(cases=cases)


def prepare(exercise: Exercise, identities: Sequence[Identity], cases: Sequence[Planned]) -> None:
    """Fill the memo of each input set with what the identities compute from inputs alone."""
    from grader.timing import phase

    with phase("reference"):
        for ident in identities:
            method = getattr(ident, "prepare", None)  # an identity with work to do ahead
            if method is not None:
                for planned in cases:
                    method(planned.case(exercise, got=None))


def forget() -> None:
    """Drop every plan kept in this process."""
    _PLANS.clear()
