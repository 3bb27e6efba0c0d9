"""Formula answers on the grader's side: read in the worker, checked like a function, then by sympy.

A student may answer an exercise of the sets `scalar` and `jacobians` (those declared by a
sympy primal) with a formula instead of a function (exercises.md, "Symbolic answers").  The
grader never parses the formula's text, and the worker never sees the reference:

1. the worker reads it with the whitelisted grammar of `grader/sandbox/worker/grammar.py`
   (`Sandbox.formula`); a refused formula is an `error` that says what is not allowed;
2. the exercise is checked exactly as a function answer is (`check_exercise`): the worker
   evaluates the formula at the generated inputs, and the usual identities judge the numbers,
   with the minimal counterexample when they fail.  The values stay the worker's, as a
   function's are: they are judged, never trusted, and the worker needs no reference for them;
   evaluating the tree in the grader instead would add nothing but a second numpy path;
3. the worker sends the parsed formula as a plain tree (`Sandbox.formula_tree`), which the
   grader checks again (`formula_tree.read_tree`: a forged tree fails the exercise) and
   compares with the reference derivative by `sympy.simplify(student - reference) == 0`,
   entry by entry, in a forked child of the grader killed at `Limits.symbolic_seconds` (3 s by
   default; `simplifier.compare`).  The verdict only ever adds a passed identity, an
   inconclusive (skipped) one, or a failure: it never raises a grade.

Feedback on a wrong formula says which entries differ and, at one point each, the student's
value and the expected value, as the numeric identities' counterexamples do; it never shows
the reference formula nor the simplified difference (either would give the answer away).  A
formula off by a constant is said to be, without the constant.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from grader.checking.checker import check_exercise
from grader.checking.formula_tree import TreeError, entries, read_tree, shape_of
from grader.checking.scoring import Parts, score
from grader.checking.settings import Settings
from grader.checking.simplifier import Symbolic, compare
from grader.exercise import Exercise
from grader.report import ExerciseResult, IdentityResult
from grader.sandbox import Limits, Sandbox

__all__ = [
    "SYMBOLIC_NAME",
    "SYMBOLIC_SECONDS",
    "accepts_formula",
    "check_formula",
    "reference_entries",
    "with_symbolic",
]

SYMBOLIC_NAME = "equals the reference symbolically (sympy simplifies the difference to 0)"
SYMBOLIC_SECONDS = Limits().symbolic_seconds  # the default; `Limits.symbolic_seconds` sets it
GRAMMAR_NAME = "is a formula of the allowed grammar"


def accepts_formula(exercise: Exercise) -> bool:
    """Whether `exercise` takes a formula answer: it is declared by a sympy primal."""
    return exercise.symbolic is not None


def reference_entries(exercise: Exercise) -> tuple[tuple[int, ...], list[Any]]:
    """The reference derivative's shape and its entries (sympy, row-major), kept in the grader.

    A gradient or a vector derivative is a vector (K1), a Jacobian a matrix (K2).
    """
    import sympy

    derivative = exercise.symbolic.derivative()
    if isinstance(derivative, sympy.MatrixBase):
        rows, columns = derivative.shape
        shape = (rows * columns,) if rows == 1 or columns == 1 else (rows, columns)
        return shape, list(derivative)
    return (), [derivative]


def _entry(index: int, shape: tuple[int, ...]) -> str:
    parts = []
    for side in reversed(shape):
        parts.append(index % side)
        index //= side
    return "".join(f"[{p}]" for p in reversed(parts))


def _number(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.6g}"


def _where(verdict: Symbolic, shape: tuple[int, ...]) -> str:
    """Which entries differ and, for each with a point, the two values there.

    An entry off by a constant is said to be, without values: their difference is the constant.
    """
    parts = []
    for difference in verdict.differences:
        entry = f"entry {_entry(difference.entry, shape)}" if shape else ""
        if difference.constant:
            parts.append(f"{entry or 'it'} differs by a constant")
        elif difference.point:
            at = ", ".join(f"{name} = {value:g}" for name, value in difference.point)
            values = (
                f"at {at} your formula gives {_number(difference.got)}, "
                f"the expected value is {_number(difference.expected)}"
            )
            parts.append(f"{entry}: {values}" if entry else values)
        elif entry:
            parts.append(entry)
    return "; ".join(parts)


def _entries_off(verdict: Symbolic, shape: tuple[int, ...]) -> str:
    """The entries off by a constant, for a vector or a matrix."""
    off = [_entry(d.entry, shape) for d in verdict.differences if d.constant]
    return ("entry " if len(off) == 1 else "entries ") + ", ".join(off)


def _refused(exercise: Exercise, message: str) -> ExerciseResult:
    hint = (
        f"Write the formula with only {', '.join(exercise.params)}, numbers, + - * / **, "
        f"sin cos tan cot sec csc asin acos atan (or arcsin arccos arctan) sinh cosh tanh exp log ln "
        f"sqrt abs sigmoid, E and pi, or define a function: def {exercise.signature}: ..."
    )
    return ExerciseResult.refused(
        exercise.name,
        exercise.set,
        exercise.points,
        f"the formula `{exercise.name}` is refused: {message}",
        GRAMMAR_NAME,
        message,
        hint=hint,
    )


def with_symbolic(
    exercise: Exercise,
    result: ExerciseResult,
    verdict: Symbolic,
    shape: tuple[int, ...],
    partial_credit: bool = False,
) -> ExerciseResult:
    """The result with the symbolic identity added; the status and score never go up."""
    where = _where(verdict, shape)
    where = f" ({where})" if where else ""
    if verdict.equal is True:
        identity = IdentityResult(
            name=SYMBOLIC_NAME, status="passed", message="the difference simplifies to 0"
        )
    elif verdict.equal is None:
        identity = IdentityResult(
            name=SYMBOLIC_NAME, status="skipped", message=f"inconclusive: {verdict.reason or 'no answer'}"
        )
    elif result.status != "passed":
        identity = IdentityResult(
            name=SYMBOLIC_NAME,
            status="failed",
            message=f"your formula is not the derivative: the difference does not simplify to 0{where}",
        )
    elif any(difference.constant for difference in verdict.differences):
        identity = IdentityResult(
            name=SYMBOLIC_NAME,
            status="failed",
            message="your formula differs from the reference by a constant"
            + (f" ({_entries_off(verdict, shape)})" if shape else ""),
        )
    else:
        # Equal at every point checked, and sympy cannot show it: simplify is not a decision
        # procedure, so this is no evidence of a mistake.
        identity = IdentityResult(
            name=SYMBOLIC_NAME,
            status="skipped",
            message="inconclusive: the formula agrees with the reference at every point checked, "
            "but sympy does not simplify the difference to 0",
        )
    return _added(exercise, result, identity, partial_credit)


def _added(
    exercise: Exercise, result: ExerciseResult, identity: IdentityResult, partial_credit: bool
) -> ExerciseResult:
    identities = (*result.identities, identity)
    if result.status == "passed" and identity.status == "failed":
        # Right at every point checked, wrong symbolically: every part matched the reference.
        parts = len(exercise.results) or 1
        return replace(
            result,
            status="failed",
            identities=identities,
            score=score(exercise.points, "failed", Parts(parts, parts) if partial_credit else None),
            hint=f"Check the constants of your formula. Read {exercise.section} again.",
        )
    return replace(result, identities=identities)


def _forged(exercise: Exercise, result: ExerciseResult, why: str, partial_credit: bool) -> ExerciseResult:
    """The worker sent a tree the grammar never makes: the symbolic identity fails."""
    identity = IdentityResult(
        name=SYMBOLIC_NAME,
        status="failed",
        message=f"the worker sent a formula outside the allowed grammar ({why}); it is refused",
    )
    failed = _added(exercise, result, identity, partial_credit)
    return replace(failed, hint="") if result.status == "passed" else failed


def check_formula(exercise: Exercise, sandbox: Sandbox, settings: Settings) -> ExerciseResult:
    """Check a formula answer of `exercise` (see the module docstring); never raises for it."""
    refused = sandbox.formula(exercise.name, list(exercise.params))
    if refused is not None:
        return _refused(exercise, refused)
    result = check_exercise(exercise, sandbox, settings)
    if result.status not in ("passed", "failed"):
        return result
    shape, reference = reference_entries(exercise)
    raw, why = sandbox.formula_tree(exercise.name)
    if why:
        verdict = Symbolic(equal=None, reason=why)
        return with_symbolic(exercise, result, verdict, shape, settings.partial_credit)
    try:
        tree = read_tree(raw, exercise.params)
    except TreeError as exc:
        return _forged(exercise, result, str(exc), settings.partial_credit)
    if shape_of(tree) != shape:
        verdict = Symbolic(equal=None, reason="the shapes differ (the shape identity reports it)")
    else:
        seconds = sandbox.limits.symbolic_seconds
        verdict = compare(entries(tree), reference, exercise.params, seconds)
    return with_symbolic(exercise, result, verdict, shape, settings.partial_credit)
