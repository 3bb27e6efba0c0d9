"""Recognises known mistakes: which change of the reference explains a wrong answer.

First the exercise's own classic wrong answers (catalogue.md §4, declared as `Mistake`s),
then generic changes of the reference: a transpose, a sign, a constant factor, a data-size
factor, swapped results, the right values in the wrong shape, float32 rounding.  A change
only counts when it changes the answer on this input (a sign flip of 0 explains nothing).
Names are those of docs/report.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader.checking.comparison import compare
from grader.checking.leaves import leaf_pairs
from grader.checking.rounding import scales as declared_scales
from grader.exercise import Case, flatten
from grader.sandbox import Leaf

__all__ = ["HINTS", "WITNESSES", "Diagnosis", "diagnose", "keep_witness"]

LOOSE = 1e-6
WITNESSES = 4  # failing inputs kept per identity to confirm a diagnosis on

Array = NDArray[np.float64]

HINTS = {
    "transpose": "the answer is transposed: in numerator layout (K1) entry (i, j) is "
    "d f_i / d x_j, one row per output, one column per input",
    "sign": "a sign is flipped: check the direction of each difference (K7: error = "
    "prediction - target) and of each update",
    "factor": "the answer is off by a constant factor: check the power rule and the factor 2 of a square",
    "normalisation": "the answer is off by a data-size factor: check sum against mean and "
    "1/N against 1/(2N) (K8)",
    "missing-mask": "the ReLU mask is missing or wrong: the gradient flows only where z = w.x + b > 0 (K3)",
    "swapped-arguments": "the results are swapped: return them in the order the exercise lists them (K10)",
    "shape": "the values may be right but the shape is not: see K2 and K4 (element-wise "
    "Jacobians are full (n, n) matrices)",
    "wrong-variable": "a derivative is taken or evaluated at the wrong variable",
    "chain-rule": "a factor of the chain rule is missing, extra, or in the wrong order",
    "off-by-one": "a count or index is off by one: a short last batch still counts",
    "precision": "the difference is float32 rounding: compute in float64",
    "wrong-rule": "an elementary rule is misapplied: check each derivative (power rule, "
    "d/dx of the variable itself, sin' = cos) and each product (outer, matrix, element-wise)",
}


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """A recognised mistake: its class (docs/report.md) and a sentence for the student."""

    name: str
    description: str


def _close(values: Array, target: Array) -> bool:
    """Equal within LOOSE, the same infinities and nans included (1/w at w = 0 is inf)."""
    with np.errstate(invalid="ignore"):
        same = (values == target) | (np.isnan(values) & np.isnan(target))
    if same.all():
        return True
    if not (np.isfinite(values) | same).all() or not (np.isfinite(target) | same).all():
        return False  # an infinity only matches itself (compare's tolerance at inf is inf)
    return compare(np.where(same, 0.0, values), np.where(same, 0.0, target), rtol=LOOSE, atol=1e-9).ok


def _matches(got: object, candidate: object, names: tuple[str, ...], expected: object) -> bool:
    """The student's answer is the candidate's, leaf by leaf.

    A student leaf is read in the candidate's shape when the sizes agree (a column for a
    vector), unless the candidate's shape is itself the mistake (a vector of ones for I): then
    the student's shape must be the candidate's, or at n = 1 the right answer would match.
    """
    want = flatten(candidate, names)
    have = dict(flatten(got, names))
    right = dict(flatten(expected, names))
    if len(want) != len(have):
        return False
    for label, value in want:
        leaf = have.get(label)
        value = np.asarray(value, dtype=np.float64)
        if leaf is None or leaf.values.size != value.size:
            return False
        if label in right and value.shape != np.shape(right[label]) and leaf.values.shape != value.shape:
            return False
        if not _close(leaf.values.reshape(value.shape), value):
            return False
    return True


def _differs(a: ArrayLike, b: ArrayLike, exact: bool = False) -> bool:
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    if exact:  # a count (K13): 328.99992 is not 329, however close
        return x.shape != y.shape or not np.array_equal(x, y)
    return x.shape != y.shape or not compare(x, y, rtol=LOOSE, atol=1e-9).ok


def _data_size(case: Case) -> int | None:
    for key in ("X", "Y"):
        value = case.inputs.get(key)
        if isinstance(value, np.ndarray) and value.ndim == 2:
            return int(value.shape[0])
    return None


def _leaf_transforms(case: Case, expected: Array) -> list[tuple[str, str, Array]]:
    """(diagnosis, description, the changed answer) for each generic change of one result."""
    out: list[tuple[str, str, Array]] = []
    if expected.ndim == 2 and expected.shape[0] > 0:
        out.append(("transpose", "you returned the transpose", expected.T))
    out.append(("sign", "the sign of the whole answer is flipped", -expected))
    for factor, text in (
        (2.0, "2"),
        (0.5, "1/2"),
        (3.0, "3"),
        (1 / 3, "1/3"),
        (4.0, "4"),
        (0.25, "1/4"),
    ):
        out.append(("factor", f"the answer is {text} times the right one", factor * expected))
    N = _data_size(case)
    if N is not None and N > 1:
        for factor, text in ((N, "N"), (1 / N, "1/N"), (2 * N, "2N"), (N / 2, "N/2")):
            out.append(
                (
                    "normalisation",
                    f"the answer is {text} times the right one (N = {N})",
                    factor * expected,
                )
            )
    return out


def _shape_mistake(expected: Array, leaf: Leaf) -> str | None:
    """How the answer's shape is wrong when its values are right, or None."""
    got: Array = leaf.values
    if got.shape == expected.shape:
        return None
    if got.size == expected.size:
        if np.allclose(got.reshape(expected.shape), expected, rtol=LOOSE, atol=1e-9):
            return f"the values are right, in shape {got.shape} instead of {expected.shape}"
        return None
    if (
        expected.ndim == 2
        and expected.shape[0] == expected.shape[1]
        and got.ndim == 1
        and got.size == expected.shape[0]
        and np.allclose(got, np.diag(expected), rtol=LOOSE, atol=1e-9)
    ):
        return "you returned the diagonal as a vector; return the full diagonal matrix (K4)"
    if expected.ndim == 0 and got.size == 1:
        return None
    return None


def _candidates(case: Case) -> Iterator[Diagnosis]:
    """Every known mistake that explains the student's answer on this case, most specific first."""
    exercise = case.exercise
    names = exercise.results
    args = case.args()
    for mistake in exercise.mistakes:
        try:
            with np.errstate(all="ignore"):
                candidate = mistake.answer(*args)
        except Exception:  # a mistake's formula may not apply to this input
            continue
        if _differs_structure(candidate, case.expected, names, exercise.exact) and _matches(
            case.got, candidate, names, case.expected
        ):
            yield Diagnosis(mistake.diagnosis, mistake.description)
    pairs = leaf_pairs(case)
    if isinstance(case.expected, tuple) and len(case.expected) == 2:
        swapped = (case.expected[1], case.expected[0])
        if _differs_structure(swapped, case.expected, names) and _matches_unlabelled(
            case.got, swapped, case.expected
        ):
            yield Diagnosis("swapped-arguments", "the two results are in the wrong order")
    for label, expected, leaf in pairs:
        if leaf is None:
            continue
        text = _shape_mistake(expected, leaf)
        if text:
            yield Diagnosis("shape", f"{label}: {text}")
    scales = None
    for position, (label, expected, leaf) in enumerate(pairs):
        if leaf is None or leaf.values.size != expected.size:
            continue
        values = leaf.values.reshape(expected.shape)
        if compare(values, expected, dtype=leaf.dtype).ok:
            continue
        for name, text, candidate in _leaf_transforms(case, expected):
            if _as_candidate(leaf, candidate) and _differs(candidate, expected):
                yield Diagnosis(name, f"{label}: {text}")
        band = {"float32": 1e-3, "float16": 1e-2}.get(leaf.dtype)
        if band is not None and compare(values, expected, rtol=band, atol=1e-6).ok:
            yield Diagnosis("precision", f"{label}: the difference is {leaf.dtype} rounding")
        elif leaf.dtype == "float64" and not case.exercise.exact:
            # float64 values that only float32's tolerance (K14) accepts: computed in float32,
            # then converted.  They still fail: the dtype says float64, so float64 is owed.
            if scales is None:
                scales = declared_scales(case)
            scale = scales[position] if scales is not None else None
            if compare(values, expected, dtype="float32", scale=scale).ok:
                yield Diagnosis(
                    "precision",
                    f"{label}: the difference is float32 rounding, in a float64 result: "
                    "was it computed in float32 and converted?",
                )


def diagnose(case: Case, *others: Case) -> Diagnosis | None:
    """The known mistake that explains the student's answer on this case, if any.

    A minimal case is often degenerate (z = 0, x = 1, N = 2), where two mistakes give the
    same answer; `others` (other failing inputs, see `keep_witness`) break the tie: of the
    explanations of `case`, the one that also explains the most other cases wins, the most
    specific (first) among equals.
    """
    found = list(_candidates(case))
    if len(found) <= 1 or not others:
        return found[0] if found else None
    explained = [{d.name for d in _candidates(other)} for other in others]
    support = [sum(d.name in names for names in explained) for d in found]
    return found[support.index(max(support))]


def keep_witness(kept: list[Case], case: Case) -> None:
    """Add a failing case to `kept`, the witnesses of one identity, unless it holds
    WITNESSES cases already or one with the same inputs.

    The first failing input is often as degenerate as the minimal one (Hypothesis tries
    zeros first); the next ones, generated or met while shrinking, are not.
    """
    if len(kept) < WITNESSES and not any(_same_inputs(case.inputs, k.inputs) for k in kept):
        kept.append(case)


def _same_inputs(a: Any, b: Any) -> bool:
    if isinstance(a, Mapping):
        return isinstance(b, Mapping) and a.keys() == b.keys() and all(_same_inputs(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return (
            isinstance(b, (list, tuple))
            and len(a) == len(b)
            and all(_same_inputs(x, y) for x, y in zip(a, b, strict=True))
        )
    return bool(np.shape(a) == np.shape(b) and np.array_equal(a, b))


def _as_candidate(leaf: Leaf, candidate: Array) -> bool:
    """The student's values equal the candidate, read in the candidate's shape when sizes agree."""
    if leaf.values.size != candidate.size:
        return False
    return _close(leaf.values.reshape(candidate.shape), candidate)


def _differs_structure(a: object, b: object, names: tuple[str, ...], exact: bool = False) -> bool:
    fa, fb = flatten(a, names), flatten(b, names)
    if len(fa) != len(fb):
        return True
    return any(_differs(x, y, exact) for (_, x), (_, y) in zip(fa, fb, strict=True))


def _matches_unlabelled(
    got: object, candidate: tuple[ArrayLike, ...], expected: tuple[ArrayLike, ...]
) -> bool:
    """As _matches, for a pair of plain leaves taken in order (the results swapped)."""
    if not isinstance(got, tuple) or len(got) != len(candidate):
        return False
    for leaf, value, right in zip(got, candidate, expected, strict=True):
        if not isinstance(leaf, Leaf):
            return False
        value = np.asarray(value, dtype=np.float64)
        if leaf.values.size != value.size:
            return False
        if value.shape != np.shape(right) and leaf.values.shape != value.shape:
            return False
        if not _close(leaf.values.reshape(value.shape), value):
            return False
    return True
