"""Formula answers on the grader's side: read in the worker, checked like a function, then by sympy.

A student may answer an exercise of the sets `scalar` and `jacobians` (those declared by a
sympy primal) with a formula instead of a function (exercises.md, "Symbolic answers").  The
grader never reads the formula itself:

1. the worker reads it with the whitelisted grammar of `grader/sandbox/worker/grammar.py`
   (`Sandbox.formula`); a refused formula is an `error` that says what is not allowed;
2. the exercise is checked exactly as a function answer is (`check_exercise`): the worker
   evaluates the formula at the generated inputs, and the usual identities judge the numbers,
   with the minimal counterexample when they fail;
3. the worker then compares the formula with the reference derivative, sent as text in the
   same grammar, by `sympy.simplify(student - reference) == 0` under a time limit
   (`Sandbox.symbolic`; `Limits.symbolic_seconds`, 3 s by default).  That verdict comes from
   the untrusted worker, so it never raises a grade: it adds a passed identity, an
   inconclusive (skipped) one, or a failure.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from grader.checking.checker import check_exercise
from grader.checking.scoring import Parts, score
from grader.checking.settings import Settings
from grader.exercise import Exercise
from grader.report import ExerciseResult, IdentityResult
from grader.sandbox import Limits, Sandbox, Symbolic

__all__ = [
    "SYMBOLIC_NAME",
    "SYMBOLIC_SECONDS",
    "accepts_formula",
    "check_formula",
    "reference_text",
    "with_symbolic",
]

SYMBOLIC_NAME = "equals the reference symbolically (sympy simplifies the difference to 0)"
SYMBOLIC_SECONDS = Limits().symbolic_seconds  # the default; `Limits.symbolic_seconds` sets it
GRAMMAR_NAME = "is a formula of the allowed grammar"


def accepts_formula(exercise: Exercise) -> bool:
    """Whether `exercise` takes a formula answer: it is declared by a sympy primal."""
    return exercise.symbolic is not None


def reference_text(exercise: Exercise) -> Any:
    """The reference derivative as text of the formula grammar: a string or nested lists.

    sympy prints it (`str`) with the exercise's variable names; a gradient or a vector
    derivative is a flat list, a Jacobian a list of rows (K1, K2).
    """
    import sympy

    derivative = exercise.symbolic.derivative()
    if isinstance(derivative, sympy.MatrixBase):
        rows, columns = derivative.shape
        entries = [str(entry) for entry in derivative]
        if rows == 1 or columns == 1:
            return entries
        return [entries[r * columns : (r + 1) * columns] for r in range(rows)]
    return str(derivative)


def _shape(text: Any) -> tuple[int, ...]:
    if isinstance(text, list):
        return (len(text), *(_shape(text[0]) if text else ()))
    return ()


def _entry(index: int, shape: tuple[int, ...]) -> str:
    if not shape:
        return ""
    parts = []
    for side in reversed(shape):
        parts.append(index % side)
        index //= side
    return "entry " + "".join(f"[{p}]" for p in reversed(parts)) + ": "


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
    differences = [f"{_entry(i, shape)}{text}" for i, text, _ in verdict.differences]
    shown = "; ".join(differences) or "(not shown)"
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
            message=f"the difference (your formula - the reference) simplifies to {shown}, not 0",
        )
    elif any(constant for _, _, constant in verdict.differences):
        identity = IdentityResult(
            name=SYMBOLIC_NAME,
            status="failed",
            message=f"your formula differs from the reference by a constant: {shown}",
        )
    else:
        # Equal at every point checked, and sympy cannot show it: simplify is not a decision
        # procedure, so this is no evidence of a mistake.
        identity = IdentityResult(
            name=SYMBOLIC_NAME,
            status="skipped",
            message="inconclusive: the formula agrees with the reference at every point checked, "
            f"but sympy does not simplify the difference to 0 ({shown})",
        )
    identities = (*result.identities, identity)
    if result.status == "passed" and identity.status == "failed":
        # Right at every point checked, wrong by a constant: every part matched the reference.
        parts = len(exercise.results) or 1
        return replace(
            result,
            status="failed",
            identities=identities,
            score=score(exercise.points, "failed", Parts(parts, parts) if partial_credit else None),
            hint=f"Check the constants of your formula. Read {exercise.section} again.",
        )
    return replace(result, identities=identities)


def check_formula(exercise: Exercise, sandbox: Sandbox, settings: Settings) -> ExerciseResult:
    """Check a formula answer of `exercise` (see the module docstring); never raises for it."""
    refused = sandbox.formula(exercise.name, list(exercise.params))
    if refused is not None:
        return _refused(exercise, refused)
    result = check_exercise(exercise, sandbox, settings)
    if result.status not in ("passed", "failed"):
        return result
    reference = reference_text(exercise)
    verdict = sandbox.symbolic(exercise.name, reference, sandbox.limits.symbolic_seconds)
    return with_symbolic(exercise, result, verdict, _shape(reference), settings.partial_credit)
