"""Answers that depend on earlier calls: a counterexample replayed alone, and the calls it needs.

Before a counterexample is reported it is replayed alone in a fresh session: the submission is
loaded again into a new module (its globals, caches and buffers start anew; the worker process
is reused, since a new one costs a process start of 0.1 to 0.4 s), and the function is called
on the counterexample only.  If the student's answer is right there, it depends on earlier
calls (a cache, a global, a buffer kept between calls): a student could not reproduce the
counterexample by calling the function on it.  The report then shows the shortest sequence
of earlier calls found after which the input fails, by delta debugging (Zeller's ddmin) over
the calls the function was given in this worker (`Run.calls`).

A notebook is not replayed: running its cells again may take long (a training loop), once
per failing exercise.  The search for the sequence is bounded by a number of trials
(`TRIALS`), never by wall time: the same submission and seed give the same sequence.  The
sequence found always fails; it is the shortest one found within the bound.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grader.checking.identities import identities_of
from grader.checking.run import CHUNK, Run
from grader.errors import SandboxError
from grader.exercise import Case, spec_of
from grader.sandbox import Returned

__all__ = ["TRIALS", "Dependence", "depends_on_earlier_calls"]

TRIALS = 24  # fresh workers started to shorten a sequence of calls, at most

Args = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Dependence:
    """A counterexample that is right alone and wrong after `before`: the earlier calls."""

    case: Case
    before: tuple[Args, ...]


class _NoWorker(Exception):
    """A fresh worker could not be started: nothing can be said about earlier calls."""


class _Trials:
    """Calls in fresh workers: whether `case` fails after a given sequence of earlier calls."""

    def __init__(self, run: Run, case: Case) -> None:
        self.run = run
        self.case = case
        self.args: Args = case.args()
        self.spec = spec_of(case.expected)
        self.identities = identities_of(case.exercise)
        self.started = 0

    def fails_after(self, before: Sequence[Args]) -> bool:
        """In a fresh worker, call the function on `before`, then on the case: True when the
        case's answer fails an identity (or the call does not return)."""
        sandbox = self.run.sandbox
        self.started += 1
        try:
            loaded = sandbox.load()  # the file run again in a new module: nothing called before
        except SandboxError:
            raise _NoWorker from None
        if loaded.error is not None:
            raise _NoWorker
        calls = [*before, self.args]
        name = self.case.exercise.name
        outcome = None
        for start in range(0, len(calls), CHUNK):
            chunk = calls[start : start + CHUNK]
            outcomes = sandbox.call(name, self.spec, list(chunk))
            outcome = outcomes[-1]
        if not isinstance(outcome, Returned):
            return True  # raising, or ending the worker, is a failure too
        replayed = Case(
            exercise=self.case.exercise,
            inputs=self.case.inputs,
            expected=self.case.expected,
            got=outcome.value,
        )
        return any(ident.check(replayed) is not None for ident in self.identities)

    def left(self) -> bool:
        return self.started < TRIALS


def _split(items: Sequence[Args], parts: int) -> list[list[Args]]:
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for k in range(parts):
        end = start + size + (1 if k < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return [chunk for chunk in out if chunk]


def ddmin(
    items: Sequence[Args], fails: Callable[[Sequence[Args]], bool], left: Callable[[], bool]
) -> list[Args]:
    """A shorter sequence of `items` that still `fails` (Zeller's ddmin), while trials are `left`.

    `items` must fail; the result fails and is 1-minimal when the trials sufficed.
    """
    current = list(items)
    parts = 2
    while len(current) >= 2 and left():
        chunks = _split(current, parts)
        reduced = False
        for chunk in chunks:
            if not left():
                return current
            if fails(chunk):
                current, parts, reduced = chunk, 2, True
                break
        if not reduced and parts > 2:
            for k in range(len(chunks)):
                if not left():
                    return current
                rest = [a for i, c in enumerate(chunks) if i != k for a in c]
                if fails(rest):
                    current, parts, reduced = rest, max(parts - 1, 2), True
                    break
        if not reduced:
            if parts >= len(current):
                break
            parts = min(len(current), 2 * parts)
    return current


def depends_on_earlier_calls(run: Run, cases: Sequence[Case]) -> Dependence | None:
    """The first of `cases` (failing counterexamples) whose answer is right when called alone
    in a fresh worker, with the shortest sequence of earlier calls found that makes it fail;
    None when every one fails alone too (the usual case: one fresh worker per distinct input).
    """
    if run.sandbox.cells:
        return None  # a notebook's cells may take long to run again: not replayed (README)
    seen: list[Args] = []
    for case in cases:
        args = case.args()
        if any(_same(args, other) for other in seen):
            continue
        seen.append(args)
        trials = _Trials(run, case)
        try:
            if trials.fails_after(()):
                continue
            before = _shortest(trials, list(run.calls))
        except _NoWorker:
            return None
        return Dependence(case=case, before=tuple(before)) if before is not None else None
    return None


def _shortest(trials: _Trials, history: list[Args]) -> list[Args] | None:
    """The shortest sequence of earlier calls found after which the case fails; None when even
    every call made so far does not reproduce it."""
    if trials.fails_after([trials.args]):
        return [trials.args]  # called twice: the second answer is wrong
    if not history or not trials.fails_after(history):
        return None
    return ddmin(history, trials.fails_after, trials.left)


def _same(a: Any, b: Any) -> bool:
    import numpy as np

    if isinstance(a, (tuple, list)):
        return (
            isinstance(b, (tuple, list))
            and len(a) == len(b)
            and all(_same(x, y) for x, y in zip(a, b, strict=True))
        )
    return bool(np.shape(a) == np.shape(b) and np.array_equal(a, b))
