"""Verdicts into a result: what a finished search found, as one exercise's `ExerciseResult`.

The order of the report is fixed: the identities in the order `identities_of` gives, each
with its minimal counterexample and recognised mistake, then the kink check, then "runs
without raising" when the function also raised.  A function that answers differently for
the same input is an error, whatever else failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from grader.checking.diagnosis import HINTS, diagnose
from grader.checking.identities import Shape
from grader.checking.kink import check_kink
from grader.checking.partial import parts
from grader.checking.replay import Dependence, depends_on_earlier_calls
from grader.checking.run import Run, leaves, size_of
from grader.checking.scoring import score
from grader.checking.settings import Settings
from grader.checking.signals import Failed, Stop, StudentRaised
from grader.exercise import Case, Exercise, Identity, Verdict, spec_of
from grader.report import Counterexample, ExerciseResult, ExerciseStatus, IdentityResult, plain
from grader.sandbox import Raised, Returned, Sandbox
from grader.timing import phase

__all__ = ["judged", "kink_results", "stopped"]

_SHAPE_WORDS = ("matmul", "shapes", "broadcast", "dimension", "aligned")

Found = tuple[Case, Verdict]


def _result(exercise: Exercise, **fields: Any) -> ExerciseResult:
    """An ExerciseResult for `exercise`: its name, set and points, and the given fields."""
    return ExerciseResult(name=exercise.name, set=exercise.set, max_score=exercise.points, **fields)


def _inputs_plain(inputs: dict[str, Any]) -> dict[str, Any]:
    return {k: plain(v) for k, v in inputs.items()}


def _counterexample(case: Case, verdict: Verdict) -> Counterexample:
    return Counterexample(
        inputs=_inputs_plain(dict(case.inputs)),
        expected=plain(verdict.expected),
        got=plain(verdict.got),
    )


def _student_message(raised: Raised) -> str:
    text = f"{raised.type}: {raised.message}".rstrip(": ")
    if raised.traceback:
        text += "\n" + raised.traceback.rstrip()
    return text


def _cut_short(settings: Settings) -> str:
    return (
        "\n(the search for a smaller input stopped at the time limit of "
        f"{settings.exercise_seconds:g} s: this is the smallest input found)"
    )


def _hint(exercise: Exercise, diagnoses: Sequence[str | None]) -> str:
    found = [HINTS[d] for d in dict.fromkeys(diagnoses) if d in HINTS]
    where = f"Read {exercise.section} again" if exercise.section else ""
    if exercise.hint:
        found.append(exercise.hint)
    text = "; ".join(found)
    return f"{text[:1].upper()}{text[1:]}. {where}.".strip(". ") + "." if text else f"{where}."


def _raised_hint(raised: Raised, exercise: Exercise) -> str:
    text = "Read the traceback; the smallest input that makes it raise is shown."
    if any(word in raised.message for word in _SHAPE_WORDS):
        text += (
            " A shape mismatch often means a missing or extra transpose: W has shape"
            " (n_out, n_in) and z = W a + b (K6); a Jacobian is (outputs, inputs) (K1)."
        )
    return f"{text} See {exercise.section}."


def kink_results(exercise: Exercise, sandbox: Sandbox) -> list[IdentityResult]:
    """The ReLU subgradient check of an exercise with a kink (grader/checking/kink.py)."""
    if exercise.kink is None:
        return []
    return [check_kink(exercise, sandbox)]


def stopped(run: Run, stop: Stop) -> ExerciseResult:
    """The result of a search stopped at once: a stub, a crash, a timeout."""
    if stop.status == "missing":
        return _result(run.exercise, status="missing", score=0.0, message=stop.message)
    return _result(
        run.exercise,
        status="error",
        score=0.0,
        examples=run.checked,
        message=stop.message,
        hint="Make the function return for every input in the domain of the exercise, "
        "quickly and without leaving the process.",
    )


def _raised_identity(error: StudentRaised, run: Run) -> IdentityResult:
    """ "runs without raising", failed on the smallest input that made the function raise."""
    message = f"your function raised on the input below\n{_student_message(error.raised)}"
    if run.cut_short:
        message += _cut_short(run.settings)
    return IdentityResult(
        name="runs without raising",
        status="error",
        message=message,
        counterexample=Counterexample(inputs=_inputs_plain(error.inputs), expected=None, got=None),
    )


def _minimal(failures: Sequence[BaseException]) -> dict[str, Found]:
    """Each failing identity's smallest case (`size_of`) and its verdict there.

    Among failures of equal size the most specific wins: the one with fewest identities failing.
    """
    minimal: dict[str, Found] = {}
    shrunk = sorted(
        (f for f in failures if isinstance(f, Failed)),
        key=lambda f: (size_of(f.case.inputs), len(f.failing)),
    )
    for failure in shrunk:  # the smallest first
        for ident, verdict in failure.failing:
            minimal.setdefault(ident.name, (failure.case, verdict))
    return minimal


def _repeatable(exercise: Exercise, sandbox: Sandbox, case: Case) -> bool:
    """Whether the student's function gives the same answer on this input four times more."""
    args = tuple(case.inputs[p] for p in exercise.params)
    before = leaves(case.got)
    for outcome in sandbox.call(exercise.name, spec_of(case.expected), [args] * 4):
        if not isinstance(outcome, Returned):
            return False
        after = leaves(outcome.value)
        if len(after) != len(before) or not all(
            a.values.shape == b.values.shape and np.array_equal(a.values, b.values, equal_nan=True)
            for a, b in zip(after, before, strict=True)
        ):
            return False
    return True


def _unstable(run: Run, case: Case) -> ExerciseResult:
    """The result of a function that answered differently for the same input."""
    return _result(
        run.exercise,
        status="error",
        score=0.0,
        examples=run.checked,
        message="your function gave different results for the same input "
        "(is it random, or does it keep state between calls?)",
        identities=(
            IdentityResult(
                name="gives the same answer for the same input",
                status="failed",
                message="called again on this input, it returned something else",
                counterexample=Counterexample(
                    inputs=_inputs_plain(dict(case.inputs)), expected=None, got=None
                ),
            ),
        ),
        hint="Remove randomness and state kept between calls (globals, default arguments).",
    )


def _call_text(exercise: Exercise, args: tuple[Any, ...]) -> str:
    shown = ", ".join(f"{p}={plain(a)}" for p, a in zip(exercise.params, args, strict=True))
    return f"{exercise.name}({shown})"


def _dependent(run: Run, dependence: Dependence) -> ExerciseResult:
    """The result of a function whose wrong answer needs earlier calls: the shortest sequence."""
    exercise, case = run.exercise, dependence.case
    calls = [*dependence.before, case.args()]
    lines = [f"  {k}. {_call_text(exercise, args)}" for k, args in enumerate(calls, start=1)]
    lines[-1] += "   <- wrong answer"
    message = (
        "your function depends on earlier calls (a cache or a global?): called alone in a fresh "
        "session it answers the input below right, but after the calls before it in this "
        f"sequence it does not ({len(calls)} calls; the shortest sequence found):\n" + "\n".join(lines)
    )
    return _result(
        exercise,
        status="failed",
        score=0.0,
        examples=run.checked,
        message="your function depends on earlier calls (a cache or a global?)",
        identities=(
            IdentityResult(
                name="gives the same answer whatever was called before",
                status="failed",
                message=message,
                counterexample=Counterexample(
                    inputs=_inputs_plain(dict(case.inputs)), expected=plain(case.expected), got=None
                ),
            ),
        ),
        hint="Compute every answer from the arguments alone: no cache keyed on shapes, no buffer "
        "or global kept between calls, no default argument that is changed.",
    )


def _failed_identity(run: Run, ident: Identity, found: Found, minimised: bool) -> IdentityResult:
    """A failed identity with its counterexample, and the mistake it shows when one is known."""
    case, verdict = found
    others = [c for c in run.witnesses.get(ident.name, []) if c is not case]
    recognised = diagnose(case, *others, passing=run.passing)
    name = recognised.name if recognised and recognised.name else verdict.diagnosis
    if isinstance(ident, Shape) and name != "transpose":
        # A shape failure is a shape mistake, unless the answer is the transpose; other
        # explanations of a 1 x 1 answer are coincidences.
        name = "shape"
        recognised = recognised if recognised is not None and recognised.name == "shape" else None
    if recognised is not None:
        message = f"{verdict.message}\nrecognised mistake: {recognised.description}"
    else:
        message = verdict.message
    if run.cut_short:
        message += _cut_short(run.settings)
    elif not minimised:
        message += "\n(this input was not minimised: another identity failed first)"
    return IdentityResult(
        name=ident.name,
        status="failed",
        message=message,
        diagnosis=name,
        counterexample=_counterexample(case, verdict),
    )


def _identity_results(run: Run, minimal: dict[str, Found]) -> list[IdentityResult]:
    """Every identity of the exercise, passed or failed, in order."""
    results: list[IdentityResult] = []
    for ident in run.identities:
        found = minimal.get(ident.name) or run.first_seen.get(ident.name)
        if found is None:
            results.append(IdentityResult(name=ident.name, status="passed"))
        else:
            results.append(_failed_identity(run, ident, found, minimised=ident.name in minimal))
    return results


def judged(run: Run, failures: Sequence[BaseException]) -> ExerciseResult:
    """The result of a finished search that ended with `failures` (none when all passed)."""
    exercise = run.exercise
    raised = next((f for f in failures if isinstance(f, StudentRaised)), None)
    raised_result: IdentityResult | None = None
    if raised is not None:
        raised_result = _raised_identity(raised, run)
        if not any(isinstance(f, Failed) for f in failures):
            return _result(
                exercise,
                status="error",
                score=0.0,
                identities=(raised_result,),
                examples=run.checked,
                message=f"{raised.raised.type}: {raised.raised.message}",
                hint=_raised_hint(raised.raised, exercise),
            )
    minimal = _minimal(failures)
    with phase("replay alone"):
        dependence = depends_on_earlier_calls(run, [c for c, _ in minimal.values()])
    if dependence is not None:
        return _dependent(run, dependence)
    unstable = next((c for c, _ in minimal.values() if not _repeatable(exercise, run.sandbox, c)), None)
    if unstable is not None:
        return _unstable(run, unstable)
    results = _identity_results(run, minimal)
    diagnoses = [r.diagnosis for r in results if r.status == "failed"]
    results.extend(kink_results(exercise, run.sandbox))
    status: ExerciseStatus = "passed" if all(r.status == "passed" for r in results) else "failed"
    hint = "" if status == "passed" else _hint(exercise, diagnoses)
    message = ""
    if raised is not None and raised_result is not None:
        # It raised on some inputs and answered wrongly on others: report both.
        results.append(raised_result)
        status = "error"
        message = f"{raised.raised.type}: {raised.raised.message}"
        hint = f"{hint} {_raised_hint(raised.raised, exercise)}".strip()
    earned = parts(run) if run.settings.partial_credit and status == "failed" else None
    return _result(
        exercise,
        status=status,
        score=score(exercise.points, status, earned),
        identities=tuple(results),
        examples=run.checked,
        message=message,
        hint=hint,
    )
