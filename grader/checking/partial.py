"""Partial credit's measure: how many parts of a failing answer are right on every input checked.

The inputs are the plan's (every input a passing answer is checked on, drawn now if needed)
and the failing inputs the search met; grader/checking/scoring.py turns the count into
points.  Only asked for a failing exercise with partial credit on.
"""

from __future__ import annotations

from grader.checking.identities import MatchesReference, leaf_pairs
from grader.checking.recording import plan_exercise
from grader.checking.run import CHUNK, Run, take
from grader.checking.scoring import Parts
from grader.exercise import Case
from grader.sandbox import Returned

__all__ = ["parts"]


def _wrong_parts(case: Case) -> set[str]:
    """The parts of the answer (results of the contract) that are wrong on this case."""
    wrong = {label for label, _, _ in MatchesReference().mismatches(case)}
    for label, expected, leaf in leaf_pairs(case):
        if leaf is None or leaf.values.shape != expected.shape:
            wrong.add(label)
    return {label.split("[")[0] for label in wrong}


def _wrong_where_failed(run: Run) -> set[str]:
    """The parts wrong on the failing inputs the search met."""
    wrong: set[str] = set()
    for cases in run.witnesses.values():
        for case in cases:
            wrong |= _wrong_parts(case)
    for case, _ in run.first_seen.values():
        wrong |= _wrong_parts(case)
    return wrong


def parts(run: Run) -> Parts:
    """How many parts of the answer are right on every input checked (see the module docstring)."""
    exercise, sandbox = run.exercise, run.sandbox
    names = tuple(dict.fromkeys(exercise.results)) or ("result",)
    wrong = _wrong_where_failed(run)
    plan = plan_exercise(exercise, run.settings)
    planned = plan.cases if plan is not None else ()
    start = 0
    while start < len(planned) and not wrong.issuperset(names):
        chunk = take(planned, start, CHUNK)
        start += len(chunk)
        args = [tuple(c.inputs[p] for p in exercise.params) for c in chunk]
        for item, outcome in zip(chunk, sandbox.call(exercise.name, chunk[0].spec, args), strict=True):
            if not isinstance(outcome, Returned):
                return Parts(right=0, total=len(names))
            wrong |= _wrong_parts(item.case(exercise, outcome.value))
    if plan is None:
        wrong.update(names)  # no inputs to show any part right on
    return Parts(right=sum(1 for n in names if n not in wrong), total=len(names))
