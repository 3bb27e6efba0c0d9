"""Runs one exercise: Hypothesis draws inputs, the sandbox calls the student, identities judge.

Fast path: the inputs the search checks on a passing submission are drawn once per (exercise,
seed, examples) into a plan (grader/checking/plan.py), with the reference answers and finite
differences; the student is called on all of them in a few large batches and every identity
is judged.  Only when something fails (or raises) does the Hypothesis search below run: it
meets the same first failure and shrinks it, so the report is the one the search alone gives.

All identities of an exercise are checked on the same example.  Each identity fails with an
exception class of its own, so Hypothesis shrinks a minimal counterexample for each failing
identity separately (report_multiple_bugs) in one search.  A student exception is shrunk
too.  A crash or timeout of the worker, or a stub, stops the search at once.

Determinism: the seed of an exercise is derived from the run's seed and the exercise name;
Hypothesis runs with database=None, no deadline, a private home directory that is removed
afterwards, and without the constants it would otherwise harvest from loaded modules.
"""

from __future__ import annotations

import contextlib
import math
import tempfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from grader.checking.diagnosis import HINTS, diagnose, keep_witness
from grader.checking.identities import (
    FiniteDifferences,
    MatchesReference,
    Shape,
    copy_input,
    expected_value,
    got_value,
    leaf_pairs,
)
from grader.checking.kink import check_kink
from grader.checking.plan import Inputs, Plan, Planned, keep, kept, key_of, plan_for
from grader.checking.scoring import Parts, score
from grader.exercise import Case, Exercise, Identity, Verdict, spec_of
from grader.report import Counterexample, ExerciseResult, ExerciseStatus, IdentityResult, plain
from grader.sandbox import Crashed, Missing, Raised, Returned, Sandbox
from grader.timing import phase

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Settings", "caught", "check_exercise", "exercise_seed", "identities_of", "plan_exercise"]


@dataclass(frozen=True, slots=True)
class Settings:
    """How hard to look: examples per exercise, input sets per call, the run's seed."""

    seed: int = 0
    examples: int = 100
    batch: int = 4
    exercise_seconds: float = 30.0
    partial_credit: bool = False  # see grader/checking/scoring.py


def exercise_seed(seed: int, name: str) -> int:
    """The seed of one exercise: independent of which other exercises run, and in what order."""
    return zlib.crc32(f"{seed}:{name}".encode()) ^ (seed & 0xFFFFFFFF)


def identities_of(exercise: Exercise) -> tuple[Identity, ...]:
    """The standard identities, then the exercise's own."""
    standard: list[Identity] = [Shape(), MatchesReference()]
    if exercise.primal is not None and exercise.finite_differences:
        standard.append(FiniteDifferences(name=f"agrees with finite differences of {exercise.primal_name}"))
    return (*standard, *exercise.identities)


def _unfit(case: Case) -> str | None:
    """Why the answer cannot be set against the reference's, entry by entry; None when it can."""
    for label, expected, leaf in leaf_pairs(case):
        if leaf is None:
            return f"there is no {label} in the answer"
        if leaf.values.size != expected.size:
            return f"{label} has {leaf.values.size} entries; {expected.size} were expected"
    return None


def _verdicts(identities: Sequence[Identity], case: Case) -> Iterator[tuple[Identity, Verdict | None]]:
    """Each identity's verdict on a case; one that cannot be evaluated on the answer fails.

    An identity that aligns the answer with values of its own (finite differences, the
    structural relations) cannot judge an answer of another size; it fails with the reason,
    never passes by default.  Only answers that fail the shape identity are looked at.
    """
    unfit: str | None = None
    for ident in identities:
        verdict = ident.check(case)
        if isinstance(ident, Shape) and verdict is not None:
            unfit = _unfit(case)
        elif verdict is None and unfit is not None:
            verdict = Verdict(
                message=f"cannot be checked on this answer: {unfit}",
                expected=expected_value(case),
                got=got_value(case),
                diagnosis="shape",
            )
        yield ident, verdict


class _Stop(BaseException):
    """Ends the Hypothesis search at once (a BaseException, so it is not shrunk)."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Enough(BaseException):
    """Ends a search that found nothing once it has checked the inputs it was asked for."""


class _OutOfTime(BaseException):
    """Ends a search at the exercise's time limit once it has failures to report."""


class _Failed(AssertionError):
    """Base of the per-identity failure classes; carries the case and the failing verdicts."""

    case: Case
    failing: list[tuple[Identity, Any]]


class _StudentRaised(Exception):
    """The student's function raised on this input."""

    def __init__(self, inputs: dict[str, Any], raised: Raised) -> None:
        super().__init__(raised.message)
        self.inputs = inputs
        self.raised = raised


@contextlib.contextmanager
def _hypothesis_home() -> Iterator[None]:
    """Point Hypothesis at a private directory for the run and remove it afterwards."""
    from hypothesis import configuration
    from hypothesis.internal.conjecture import providers

    with tempfile.TemporaryDirectory(prefix="matgrade-hypothesis-") as home:
        configuration.set_hypothesis_home_dir(home)
        # Hypothesis mixes constants found in the source of every loaded local module into its
        # draws; which modules are loaded differs between a CLI run and a test run, so the same
        # seed would not give the same inputs.  Give it none.
        original = getattr(providers, "_get_local_constants", None)
        if original is not None:
            providers._get_local_constants = lambda: providers._local_constants.__class__()
        try:
            yield
        finally:
            if original is not None:
                providers._get_local_constants = original
            configuration.set_hypothesis_home_dir(None)


def _inputs_plain(inputs: dict[str, Any]) -> dict[str, Any]:
    return {k: plain(v) for k, v in inputs.items()}


def _student_message(raised: Raised) -> str:
    text = f"{raised.type}: {raised.message}".rstrip(": ")
    if raised.traceback:
        text += "\n" + raised.traceback.rstrip()
    return text


def _hypothesis_test(
    exercise: Exercise, settings: Settings, body: Callable[[list[dict[str, Any]]], None]
) -> Callable[[], None]:
    """The seeded Hypothesis test of an exercise: batches of input sets, explicit examples first."""
    from hypothesis import HealthCheck, Phase, Verbosity, example, given, seed
    from hypothesis import settings as hypothesis_settings
    from hypothesis import strategies as st

    batch = max(1, settings.batch)
    inputs = exercise.inputs()
    strategy = st.tuples(*[inputs] * batch).map(list)
    config = hypothesis_settings(
        database=None,
        deadline=None,
        derandomize=False,
        max_examples=math.ceil(settings.examples / batch) + 1,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        report_multiple_bugs=True,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        print_blob=False,
    )

    def prop(inputs: list[dict[str, Any]]) -> None:
        body(inputs)

    test = given(strategy)(prop)
    for explicit in reversed(list(exercise.examples() if exercise.examples else [])):
        test = example([dict(explicit)])(test)
    decorated: Callable[[], None] = seed(exercise_seed(settings.seed, exercise.name))(config(test))
    return decorated


def _reference(exercise: Exercise, inputs: dict[str, Any]) -> Any:
    return exercise.reference(*(copy_input(inputs[p]) for p in exercise.params))


def _size(inputs: Mapping[str, Any]) -> tuple[int, float]:
    """How big an input set is: (entries, sum of magnitudes); smaller reads better."""
    entries, total = 0, 0.0
    for value in _leaves(list(inputs.values())):
        array = np.abs(np.asarray(value, dtype=np.float64))
        entries += int(array.size)
        total += float(np.sum(array[np.isfinite(array)]))
    return entries, total


class _Run:
    """The state of one exercise's search.

    The exercise's time limit counts only the student's time: the sandbox's `student_seconds`
    since `started` (its reading when the exercise began), so drawing inputs, computing
    reference answers and finite differences, and judging are never charged to the student.
    """

    def __init__(
        self, exercise: Exercise, sandbox: Sandbox, settings: Settings, started: float | None = None
    ) -> None:
        self.exercise = exercise
        self.sandbox = sandbox
        self.settings = settings
        self.identities = identities_of(exercise)
        self.classes: dict[tuple[str, ...], type[_Failed]] = {}
        self.first_seen: dict[str, tuple[Case, Any]] = {}
        self.witnesses: dict[str, list[Case]] = {}  # a few failing inputs per identity
        # The smallest failure met so far of each kind: what is reported when the time limit
        # cuts the shrinking short.
        self.best: dict[tuple[str, ...], _Failed | _StudentRaised] = {}
        self.cut_short = False
        self.checked = 0
        self.failed = False
        self.started = sandbox.student_seconds if started is None else started

    def student_seconds(self) -> float:
        """The time the student's function has taken so far on this exercise."""
        return self.sandbox.student_seconds - self.started

    def out_of_time(self) -> bool:
        return self.student_seconds() > self.settings.exercise_seconds

    def stop_for_time(self) -> None:
        """At the time limit: end with the failures found so far, or as an error without any."""
        if self.best:
            self.cut_short = True
            raise _OutOfTime
        limit = self.settings.exercise_seconds
        raise _Stop("error", f"your function took longer than {limit:g} s in all on this exercise")

    def _keep(self, key: tuple[str, ...], error: _Failed | _StudentRaised, inputs: dict[str, Any]) -> None:
        held = self.best.get(key)
        size = _size(inputs)
        if held is None or size < _size(held.case.inputs if isinstance(held, _Failed) else held.inputs):
            self.best[key] = error

    def evaluate(self, batch: Sequence[dict[str, Any]]) -> None:
        """Check every input set of a batch; raise for the first failing one."""
        exercise = self.exercise
        if self.out_of_time():
            self.stop_for_time()
        with phase("reference"):
            expected = [_reference(exercise, inp) for inp in batch]
        spec = spec_of(expected[0])
        outcomes = self.sandbox.call(
            exercise.name, spec, [tuple(inp[p] for p in exercise.params) for inp in batch]
        )
        for inputs, value, outcome in zip(batch, expected, outcomes, strict=True):
            self.checked += 1
            if isinstance(outcome, Crashed):
                raise _Stop("error", f"the function {outcome.reason}")
            if isinstance(outcome, Missing):
                raise _Stop("missing", "raises NotImplementedError (a stub)")
            if isinstance(outcome, Raised):
                self.failed = True
                raised = _StudentRaised(inputs, outcome)
                self._keep(("raised",), raised, inputs)
                raise raised
            assert isinstance(outcome, Returned)
            case = Case(exercise=exercise, inputs=inputs, expected=value, got=outcome.value)
            failing = []
            with phase("comparison"):
                for ident, verdict in _verdicts(self.identities, case):
                    if verdict is not None:
                        failing.append((ident, verdict))
                        self.first_seen.setdefault(ident.name, (case, verdict))
                        keep_witness(self.witnesses.setdefault(ident.name, []), case)
            if failing:
                # One exception class per set of failing identities: Hypothesis shrinks each
                # set on its own, so "shape only" and "shape and values" each get a minimal case.
                key = tuple(ident.name for ident, _ in failing)
                kind = self.classes.setdefault(key, type(f"Failed_{len(self.classes)}", (_Failed,), {}))
                self.failed = True
                error = kind(failing[0][1].message)
                error.case = case
                error.failing = failing
                self._keep(key, error, inputs)
                raise error
        if not self.failed and self.checked >= self.settings.examples:
            raise _Enough

    def search(self) -> list[BaseException]:
        """Run Hypothesis; the minimal failures it ends with (empty when all passed)."""
        from hypothesis.errors import Flaky

        test = _hypothesis_test(self.exercise, self.settings, self.evaluate)
        try:
            with phase("search and shrinking"):
                test()
        except _Enough:
            return []
        except _OutOfTime:
            return list(self.best.values())
        except BaseExceptionGroup as group:
            return list(group.exceptions)
        except (_Failed, _StudentRaised) as error:
            return [error]
        except Flaky as error:
            raise _Stop(
                "error",
                "your function gave different results for the same input "
                f"(is it random, or does it keep state between calls?): {error}",
            ) from None
        return []

    def judge(self, chunk: Sequence[Planned]) -> bool:
        """Call the student on planned input sets at once and judge them; True when all passed.

        False at the first input set that fails or raises (the search then finds and shrinks
        it); a crash or a timeout ends the exercise as in the search.
        """
        if self.out_of_time():
            self.stop_for_time()
        exercise = self.exercise
        args = [tuple(c.inputs[p] for p in exercise.params) for c in chunk]
        outcomes = self.sandbox.call(exercise.name, chunk[0].spec, args)
        for planned, outcome in zip(chunk, outcomes, strict=True):
            self.checked += 1
            if isinstance(outcome, Crashed):
                raise _Stop("error", f"the function {outcome.reason}")
            if not isinstance(outcome, Returned):
                return False
            case = Case(
                exercise=exercise, inputs=planned.inputs, expected=planned.expected, got=outcome.value
            )
            with phase("comparison"):
                if any(ident.check(case) is not None for ident in self.identities):
                    return False
        return True

    def next_size(self) -> int:
        """How many input sets the next call may take.

        The first call is as small as a search batch, so a stub, a hang or an exception is
        met at the cost of one; then each call doubles, up to _CHUNK, and to what the time
        left lets a call's limit be (call_seconds per input set).
        """
        if self.checked == 0:
            return max(1, self.settings.batch)
        left = self.settings.exercise_seconds - self.student_seconds()
        calls = self.sandbox.limits.call_seconds
        most = int(left / calls) if calls > 0 else _CHUNK
        return max(1, min(_CHUNK, 2 * self.checked, most))

    def replay(self, cases: Sequence[Planned]) -> bool:
        """Judge every planned input set, in a few calls; True when all passed."""
        while self.checked < len(cases):
            if not self.judge(_take(cases, self.checked, self.next_size())):
                return False
        return True


_CHUNK = 64  # input sets per call of the worker at most
_CHUNK_ELEMENTS = 50_000  # expected numbers in one reply at most (the worker allows 400,000)


def _take(cases: Sequence[Planned], start: int, most: int) -> list[Planned]:
    """Up to `most` input sets from `start` with the same result spec and a bounded reply size."""
    spec = cases[start].spec
    chunk: list[Planned] = []
    elements = 0
    for planned in cases[start : start + most]:
        size = sum(int(np.size(leaf)) for leaf in _leaves(planned.expected))
        if chunk and (planned.spec != spec or elements + size > _CHUNK_ELEMENTS):
            break
        chunk.append(planned)
        elements += size
    return chunk


class _Caught(BaseException):
    """Ends drawing a plan: the student failed on one of its input sets."""


def _record(exercise: Exercise, settings: Settings, run: _Run | None = None) -> list[Planned]:
    """The input sets (and reference answers) the search checks on a passing submission.

    The very search of `_Run.search`, with a body that records instead of calling the
    student: Hypothesis's draws depend on the seed and on which test cases fail, and none
    fails here, so the inputs are those a passing submission is checked on, in order.
    With `run`, the student is judged on them as they come, a call per few input sets, and
    drawing stops (raising _Caught) at the first failure.
    """
    recorded: list[Planned] = []

    def flush(everything: bool) -> None:
        assert run is not None
        while run.checked < len(recorded):
            size = run.next_size()
            if not everything and len(recorded) - run.checked < size:
                return
            if not run.judge(_take(recorded, run.checked, size)):
                raise _Caught

    def body(batch: list[dict[str, Any]]) -> None:
        with phase("reference"):
            for inputs in batch:
                expected = _reference(exercise, inputs)
                recorded.append(Planned(inputs=Inputs(inputs), expected=expected, spec=spec_of(expected)))
        if run is not None:
            flush(everything=False)
        if len(recorded) >= settings.examples:
            raise _Enough

    test = _hypothesis_test(exercise, settings, body)
    with _hypothesis_home(), contextlib.suppress(_Enough), phase("input generation"):
        test()
    if run is not None:
        flush(everything=True)
    return recorded


def plan_exercise(exercise: Exercise, settings: Settings) -> Plan | None:
    """The plan of `exercise` under `settings`, drawn the first time (grader/checking/plan.py)."""
    return plan_for(
        exercise,
        identities_of(exercise),
        seed=settings.seed,
        examples=settings.examples,
        batch=settings.batch,
        draw=lambda: _record(exercise, settings),
    )


def _passes_plan(run: _Run) -> bool:
    """Whether the student passes on every planned input set of the exercise.

    With a plan kept (a batch, a second run in the process), the student is judged on it;
    else the plan is drawn while the student is judged on it, and kept when it is complete.
    """
    exercise, settings = run.exercise, run.settings
    key = key_of(exercise, settings.seed, settings.examples, settings.batch)
    ready = kept(key)
    if ready is not None:
        return run.replay(ready.cases)
    try:
        cases = _record(exercise, settings, run)
    except _Caught:
        return False
    except Exception:  # a reference that raises: the search reports what happens
        return False
    keep(key, Plan(cases=tuple(cases)))
    return True


def caught(exercise: Exercise, sandbox: Sandbox, settings: Settings) -> int | None:
    """How many input sets it takes grading at `settings` to fail (or err on) the loaded function.

    The verdict of check_exercise without the search that shrinks the failure: the count
    of planned inputs checked when one failed, or all of them plus one when only the kink
    catches it; None when it passes (bench/bench_thoroughness.py measures this).
    """
    run = _Run(exercise, sandbox, settings)
    try:
        if not _passes_plan(run):
            return run.checked
    except _Stop:
        return max(1, run.checked)
    if any(r.status != "passed" for r in _kink_results(exercise, sandbox)):
        return run.checked + 1
    return None


def _counterexample(case: Case, verdict: Any) -> Counterexample:
    return Counterexample(
        inputs=_inputs_plain(dict(case.inputs)),
        expected=plain(verdict.expected),
        got=plain(verdict.got),
    )


def _wrong_parts(case: Case) -> set[str]:
    """The parts of the answer (results of the contract) that are wrong on this case."""
    wrong = {label for label, _, _ in MatchesReference().mismatches(case)}
    for label, expected, leaf in leaf_pairs(case):
        if leaf is None or leaf.values.shape != expected.shape:
            wrong.add(label)
    return {label.split("[")[0] for label in wrong}


def _parts(run: _Run) -> Parts:
    """How many parts of the answer are right on every input checked: partial credit's measure.

    The inputs are the plan's (every input a passing answer is checked on, drawn now if
    needed) and the failing inputs the search met.  Only asked for a failing exercise.
    """
    exercise, sandbox = run.exercise, run.sandbox
    names = tuple(dict.fromkeys(exercise.results)) or ("result",)
    wrong: set[str] = set()
    for cases in run.witnesses.values():
        for case in cases:
            wrong |= _wrong_parts(case)
    for case, _ in run.first_seen.values():
        wrong |= _wrong_parts(case)
    plan = plan_exercise(exercise, run.settings)
    planned = plan.cases if plan is not None else ()
    start = 0
    while start < len(planned) and not wrong.issuperset(names):
        chunk = _take(planned, start, _CHUNK)
        start += len(chunk)
        args = [tuple(c.inputs[p] for p in exercise.params) for c in chunk]
        for item, outcome in zip(chunk, sandbox.call(exercise.name, chunk[0].spec, args), strict=True):
            if not isinstance(outcome, Returned):
                return Parts(right=0, total=len(names))
            wrong |= _wrong_parts(
                Case(exercise=exercise, inputs=item.inputs, expected=item.expected, got=outcome.value)
            )
    if plan is None:
        wrong.update(names)  # no inputs to show any part right on
    return Parts(right=sum(1 for n in names if n not in wrong), total=len(names))


def _hint(exercise: Exercise, diagnoses: Sequence[str | None]) -> str:
    parts = [HINTS[d] for d in dict.fromkeys(diagnoses) if d in HINTS]
    where = f"Read {exercise.section} again" if exercise.section else ""
    if exercise.hint:
        parts.append(exercise.hint)
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]}. {where}.".strip(". ") + "." if text else f"{where}."


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _repeatable(exercise: Exercise, sandbox: Sandbox, case: Case) -> bool:
    """Whether the student's function gives the same answer on this input four times more."""
    args = tuple(case.inputs[p] for p in exercise.params)
    before = _leaves(case.got)
    for outcome in sandbox.call(exercise.name, spec_of(case.expected), [args] * 4):
        if not isinstance(outcome, Returned):
            return False
        after = _leaves(outcome.value)
        if len(after) != len(before) or not all(
            a.values.shape == b.values.shape and np.array_equal(a.values, b.values, equal_nan=True)
            for a, b in zip(after, before, strict=True)
        ):
            return False
    return True


_SHAPE_WORDS = ("matmul", "shapes", "broadcast", "dimension", "aligned")


def _raised_hint(raised: Raised, exercise: Exercise) -> str:
    text = "Read the traceback; the smallest input that makes it raise is shown."
    if any(word in raised.message for word in _SHAPE_WORDS):
        text += (
            " A shape mismatch often means a missing or extra transpose: W has shape"
            " (n_out, n_in) and z = W a + b (K6); a Jacobian is (outputs, inputs) (K1)."
        )
    return f"{text} See {exercise.section}."


def _result(exercise: Exercise, **fields: Any) -> ExerciseResult:
    """An ExerciseResult for `exercise`: its name, set and points, and the given fields."""
    return ExerciseResult(name=exercise.name, set=exercise.set, max_score=exercise.points, **fields)


def _cut_short(settings: Settings) -> str:
    return (
        "\n(the search for a smaller input stopped at the time limit of "
        f"{settings.exercise_seconds:g} s: this is the smallest input found)"
    )


def check_exercise(exercise: Exercise, sandbox: Sandbox, settings: Settings) -> ExerciseResult:
    """Check one exercise against a loaded sandbox; never raises for student behaviour."""
    run = _Run(exercise, sandbox, settings)
    try:
        failures: list[BaseException] = []
        if not _passes_plan(run):
            # Something failed: the search meets it again (the same inputs, in the same order,
            # up to it) and shrinks it.  The exercise's clock goes on.
            run = _Run(exercise, sandbox, settings, started=run.started)
            with _hypothesis_home():
                failures = run.search()
    except _Stop as stop:
        if stop.status == "missing":
            return _result(
                exercise,
                status="missing",
                score=0.0,
                message=stop.message,
            )
        return _result(
            exercise,
            status="error",
            score=0.0,
            examples=run.checked,
            message=stop.message,
            hint="Make the function return for every input in the domain of the exercise, "
            "quickly and without leaving the process.",
        )
    raised = [f for f in failures if isinstance(f, _StudentRaised)]
    raised_result: IdentityResult | None = None
    if raised:
        error = raised[0]
        inputs = _inputs_plain(error.inputs)
        message = f"your function raised on the input below\n{_student_message(error.raised)}"
        if run.cut_short:
            message += _cut_short(settings)
        identity = IdentityResult(
            name="runs without raising",
            status="error",
            message=message,
            counterexample=Counterexample(inputs=inputs, expected=None, got=None),
        )
        if not any(isinstance(f, _Failed) for f in failures):
            return _result(
                exercise,
                status="error",
                score=0.0,
                identities=(identity,),
                examples=run.checked,
                message=f"{error.raised.type}: {error.raised.message}",
                hint=_raised_hint(error.raised, exercise),
            )
        # It raised on some inputs and answered wrongly on others: report both.
        raised_result = identity
    minimal: dict[str, tuple[Case, Any]] = {}
    shrunk = sorted((f for f in failures if isinstance(f, _Failed)), key=lambda f: len(f.failing))
    for failure in shrunk:  # the most specific failure first: fewest identities failing
        for ident, verdict in failure.failing:
            minimal.setdefault(ident.name, (failure.case, verdict))
    unstable = next((c for c, _ in minimal.values() if not _repeatable(exercise, sandbox, c)), None)
    if unstable is not None:
        return _result(
            exercise,
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
                        inputs=_inputs_plain(dict(unstable.inputs)), expected=None, got=None
                    ),
                ),
            ),
            hint="Remove randomness and state kept between calls (globals, default arguments).",
        )
    results: list[IdentityResult] = []
    diagnoses: list[str | None] = []
    for ident in run.identities:
        found = minimal.get(ident.name) or run.first_seen.get(ident.name)
        if found is None:
            results.append(IdentityResult(name=ident.name, status="passed"))
            continue
        case, verdict = found
        others = [c for c in run.witnesses.get(ident.name, []) if c is not case]
        recognised = diagnose(case, *others)
        name = recognised.name if recognised else verdict.diagnosis
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
            message += _cut_short(settings)
        elif ident.name not in minimal:
            message += "\n(this input was not minimised: another identity failed first)"
        diagnoses.append(name)
        results.append(
            IdentityResult(
                name=ident.name,
                status="failed",
                message=message,
                diagnosis=name,
                counterexample=_counterexample(case, verdict),
            )
        )
    results.extend(_kink_results(exercise, sandbox))
    status: ExerciseStatus = "passed" if all(r.status == "passed" for r in results) else "failed"
    hint = "" if status == "passed" else _hint(exercise, diagnoses)
    message = ""
    if raised_result is not None:
        error = raised[0]
        results.append(raised_result)
        status = "error"
        message = f"{error.raised.type}: {error.raised.message}"
        hint = f"{hint} {_raised_hint(error.raised, exercise)}".strip()
    parts = _parts(run) if settings.partial_credit and status == "failed" else None
    return _result(
        exercise,
        status=status,
        score=score(exercise.points, status, parts),
        identities=tuple(results),
        examples=run.checked,
        message=message,
        hint=hint,
    )


def _kink_results(exercise: Exercise, sandbox: Sandbox) -> list[IdentityResult]:
    if exercise.kink is None:
        return []
    return [check_kink(exercise, sandbox)]
