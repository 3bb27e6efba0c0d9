"""Recognises known mistakes: which change of the reference explains a wrong answer.

First the exercise's own classic wrong answers (catalogue.md §4, declared as `Mistake`s),
then generic changes of the reference: a transpose, a sign, a constant factor, a data-size
factor, swapped results, the right values in the wrong shape, float32 rounding.  A change
only counts when it changes the answer on this input (a sign flip of 0 explains nothing).
Names are those of docs/report.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader.checking.comparison import compare
from grader.checking.leaves import copy_input, leaf_pairs
from grader.checking.rounding import scales as declared_scales
from grader.checking.rounding import sensitivity
from grader.exercise import Case, flatten
from grader.sandbox import Leaf

__all__ = ["HINTS", "WITNESSES", "Diagnosis", "diagnose", "keep_witness"]

LOOSE = 1e-6  # how close an answer in float32 or narrower must be to a mistake's
TIGHT = 1e-8  # ... and one all in float64 (a mistake 1e-7 away from the right answer is one)
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


def _close(values: Array, target: Array, rtol: float = LOOSE) -> bool:
    """Equal within LOOSE, the same infinities and nans included (1/w at w = 0 is inf)."""
    with np.errstate(invalid="ignore"):
        same = (values == target) | (np.isnan(values) & np.isnan(target))
    if same.all():
        return True
    if not (np.isfinite(values) | same).all() or not (np.isfinite(target) | same).all():
        return False  # an infinity only matches itself (compare's tolerance at inf is inf)
    return compare(np.where(same, 0.0, values), np.where(same, 0.0, target), rtol=rtol, atol=1e-9).ok


def _matches(
    got: object, candidate: object, names: tuple[str, ...], expected: object, rtol: float = LOOSE
) -> bool:
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
        if not _close(leaf.values.reshape(value.shape), value, rtol):
            return False
    return True


def _differs(a: ArrayLike, b: ArrayLike, rtol: float = LOOSE, exact: bool = False) -> bool:
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    if exact:  # a count (K13): 328.99992 is not 329, however close
        return x.shape != y.shape or not np.array_equal(x, y)
    return x.shape != y.shape or not compare(x, y, rtol=rtol, atol=1e-9).ok


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
    for axis in range(expected.ndim):
        if expected.shape[axis] >= 2:
            where = f" along axis {axis}" if expected.ndim > 1 else ""
            text = f"the entries are shifted by one place{where}: an index is off by one (x[i - 1] for x[i]?)"
            out.append(("off-by-one", text, np.roll(expected, 1, axis=axis)))
            out.append(("off-by-one", text, np.roll(expected, -1, axis=axis)))
    if case.exercise.exact:
        out.append(("off-by-one", "the count is one too many", expected + 1))
        out.append(("off-by-one", "the count is one too few", expected - 1))
    N = _data_size(case)
    if N is not None and N > 2:  # 1/(N - 1) for 1/N: an "unbiased" mean
        for factor, text in ((N / (N - 1), "N/(N-1)"), ((N - 1) / N, "(N-1)/N")):
            said = f"the answer is {text} times the right one (N = {N})"
            out.append(("normalisation", said, factor * expected))
    n = _vector_size(case) if N is None else None
    if n is not None:  # no data set: a mean over the entries of a vector where a sum belongs
        said = f"the answer is 1/n times the right one (n = {n}: a mean for a sum?)"
        out.append(("normalisation", said, expected / n))
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


def _vector_size(case: Case) -> int | None:
    """The length n >= 2 of the first vector argument, if any."""
    for value in case.inputs.values():
        if isinstance(value, np.ndarray) and value.ndim == 1 and value.size >= 2:
            return int(value.size)
    return None


_BIASES = ("b", "b_vec", "bs")


def _zero(value: Any) -> Any:
    if isinstance(value, list):
        return [_zero(item) for item in value]
    return np.zeros_like(value) if isinstance(value, np.ndarray) else 0.0 * value


def _changed_inputs(case: Case) -> Iterator[tuple[str, str, Any]]:
    """(diagnosis, description, the reference's answer to changed inputs) for each generic
    change of the inputs: two arguments of the same kind swapped, the bias of z = w.x + b
    left out (in the mask, or everywhere: the answer is then taken at the wrong quantity)."""
    exercise = case.exercise
    args = [copy_input(a) for a in case.args()]
    params = exercise.params
    changes: list[tuple[str, str, list[Any]]] = []
    for i, p in enumerate(params):
        for j in range(i + 1, len(params)):
            a, b = args[i], args[j]
            same = (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape) or (
                type(a) is type(b) and isinstance(a, (int, float))
            )
            if same:
                swapped = list(args)
                swapped[i], swapped[j] = copy_input(b), copy_input(a)
                text = f"the answer is the one for {p} and {params[j]} swapped"
                changes.append(("swapped-arguments", text, swapped))
    for i, p in enumerate(params):
        if p in _BIASES:
            zeroed = [copy_input(a) for a in args]
            zeroed[i] = _zero(zeroed[i])
            changes.append(
                (
                    "wrong-variable",
                    f"the answer is the one for {p} = 0: the bias is left out of z "
                    "(a mask or derivative taken at w.x instead of z = w.x + b?)",
                    zeroed,
                )
            )
    for name, text, changed in changes:
        try:
            with np.errstate(all="ignore"):
                yield name, text, exercise.reference(*changed)
        except Exception:  # the reference does not apply to the changed inputs
            continue


NEAR = 1e-2  # the kink corner: pre-activations this close to 0 (K11 promises only 1e-6)


def _wrong_masks(case: Case) -> Iterator[tuple[str, Any]]:
    """(description, the answer with another ReLU mask) for the masks a student gets near the
    kink: every unit with 0 < z <= t inactive (`z > 1e-3`, z rounded or in float16), or every
    unit with -t < z < 0 active (`z > -1e-3`), for each t among the |z| below NEAR.

    Only for an exercise that declares its pre-activations and, in `extra["masked"]`, its
    answer as a function of the inputs and a mask H (one entry per pre-activation)."""
    exercise = case.exercise
    masked = exercise.extra.get("masked")
    if masked is None or exercise.pre_activations is None:
        return
    args = case.args()
    try:
        with np.errstate(all="ignore"):
            z = np.asarray(exercise.pre_activations(*args), dtype=np.float64).ravel()
    except Exception:  # the pre-activations do not apply to these inputs
        return
    right = z > 0
    for t in sorted({float(v) for v in np.abs(z) if 0 < v < NEAR}):
        for mask, side in ((right & (z > t), "z > 0"), (right | (z > -t), "z < 0")):
            if np.array_equal(mask, right):
                continue
            where = ", ".join(f"{v:.3g}" for v in z[mask != right][:3])
            said = (
                f"the ReLU mask is wrong near the kink: at z = {where} ({side}) H(z) must be "
                f"{1 if side == 'z > 0' else 0}, for every z however small (K3)"
            )
            try:
                with np.errstate(all="ignore"):
                    yield said, masked(*[copy_input(a) for a in args], mask.astype(np.float64))
            except Exception:  # the masked answer does not apply to these inputs
                return


def _flipped_block(values: Array, expected: Array) -> str | None:
    """Which part of a result has its sign flipped, when only a part has and the rest is right:
    "row 1", "column 0", "entries (0,), (2,)"; None otherwise."""
    if expected.size < 2 or not np.all(np.isfinite(values)) or not np.all(np.isfinite(expected)):
        return None
    right = np.isclose(values, expected, rtol=LOOSE, atol=1e-9)
    negated = np.isclose(values, -expected, rtol=LOOSE, atol=1e-9) & ~right
    if not np.all(right | negated) or not negated.any() or right.all():
        return None
    if expected.ndim == 2:
        for axis, word in ((1, "row"), (0, "column")):
            whole = np.all(negated | (expected == 0), axis=axis) & np.any(negated, axis=axis)
            others = np.all(right, axis=axis)
            if np.all(whole | others):
                picked = ", ".join(str(int(k)) for k in np.flatnonzero(whole))
                return f"{word}{'s' if np.count_nonzero(whole) > 1 else ''} {picked}"
    where = ", ".join(str(tuple(int(i) for i in index)) for index in np.argwhere(negated)[:4])
    return f"entries {where}"


_PART_FACTORS = ((2.0, "2"), (0.5, "1/2"), (3.0, "3"), (1 / 3, "1/3"), (4.0, "4"), (0.25, "1/4"))


def _scaled_block(values: Array, expected: Array) -> str | None:
    """"entries (0,) are 1/2 times the right ones" when some entries are off by one constant
    factor and the others are right; None otherwise (the whole answer is `_leaf_transforms`')."""
    if expected.size < 2 or not np.all(np.isfinite(values)) or not np.all(np.isfinite(expected)):
        return None
    right = np.isclose(values, expected, rtol=LOOSE, atol=1e-9)
    if right.all():
        return None
    for factor, text in _PART_FACTORS:
        scaled = np.isclose(values, factor * expected, rtol=LOOSE, atol=1e-9) & ~right
        if np.all(right | scaled) and scaled.any():
            where = ", ".join(str(tuple(int(i) for i in index)) for index in np.argwhere(scaled)[:4])
            return f"entries {where} are {text} times the right ones (a factor of the power rule?)"
    return None


def _got_leaves(value: Any) -> list[Leaf]:
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in _got_leaves(item)]
    return [value] if isinstance(value, Leaf) else []


def _in_some_results(case: Case, candidate: Any, rtol: float) -> str:
    """The results (by label) in which the student's answer is the candidate's and wrong, when
    every other result is right; "" when not so, or when the answer has a single result."""
    names = case.exercise.results
    want = flatten(candidate, names)
    right = dict(flatten(case.expected, names))
    have = dict(flatten(case.got, names))
    if len(want) < 2 or len(want) != len(have) or len(right) != len(want):
        return ""
    wrong: list[str] = []
    for label, value in want:
        leaf, expected = have.get(label), right.get(label)
        if leaf is None or expected is None:
            return ""
        expected = np.asarray(expected, dtype=np.float64)
        value = np.asarray(value, dtype=np.float64)
        if leaf.values.size != expected.size or value.shape != expected.shape:
            return ""
        values = leaf.values.reshape(expected.shape)
        if compare(values, expected, dtype=leaf.dtype).ok:
            continue
        if not (_close(values, value, rtol) and _differs(value, expected, rtol)):
            return ""
        wrong.append(label)
    return ", ".join(wrong) if 0 < len(wrong) < len(want) else ""


_EPS_NARROW = {"float16": 9.77e-4, "float32": 1.1920929e-07}


def _rounding_alone(case: Case, position: int, values: Array, expected: Array, dtype: str) -> bool:
    """The difference is what rounding the inputs and the steps to `dtype` does to a right
    answer: within 4 eps(dtype) times the answer's sensitivity to its inputs
    (rounding.py).  At x = 5, float16 moves x^2 by 1e-3 relatively and cos(x^2) by far more
    than 1e-2: still rounding alone.  (The 2% error of a wrong constant is not.)"""
    try:
        scale = sensitivity(case)[position]
    except Exception:  # the reference does not apply to the moved inputs
        return False
    bound = 4.0 * _EPS_NARROW[dtype] * np.abs(np.asarray(scale, dtype=np.float64)) + 1e-6
    with np.errstate(invalid="ignore"):
        return bool(np.all(np.abs(values - expected) <= bound))


def _float32_values(values: Array) -> bool:
    """Every value is a float32 number: what a result computed in float32 and converted is.

    A float64 answer off by a float32-sized amount whose values are not float32 numbers was
    not rounded to float32 (a finite difference, a truncated series): not `precision`; nor
    one whose values all have 12 significant bits or fewer (0, 1, 0.5: any code makes them).
    """
    with np.errstate(over="ignore"):
        narrowed = values.astype(np.float32).astype(np.float64)
    if not np.all((narrowed == values) | ~np.isfinite(values)):
        return False
    # ... and at least one of them is not a short binary fraction (0, 1, 0.5, 3.25 are float32
    # numbers whatever computed them: a shortcut returning 0 is not float32 rounding)
    mantissa, _ = np.frexp(np.where(np.isfinite(values), values, 0.0))
    return bool(np.any(mantissa * 2.0**12 != np.round(mantissa * 2.0**12)))


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
    rtol = TIGHT if all(leaf.dtype == "float64" for leaf in _got_leaves(case.got)) else LOOSE
    if exercise.exact:  # a count (K13): 666667 is not 666666.67, in whatever dtype it comes
        rtol = 0.0
    answers: list[tuple[Any, Any]] = []
    for mistake in exercise.mistakes:
        try:
            with np.errstate(all="ignore"):
                candidate = mistake.answer(*args)
        except Exception:  # a mistake's formula may not apply to this input
            continue
        answers.append((mistake, candidate))
        if _differs_structure(candidate, case.expected, names, rtol, exercise.exact) and _matches(
            case.got, candidate, names, case.expected, rtol
        ):
            yield Diagnosis(mistake.diagnosis, mistake.description)
    for mistake, candidate in answers:  # the mistake made in some results, the others right
        where = _in_some_results(case, candidate, rtol)
        if where:
            yield Diagnosis(mistake.diagnosis, f"{where}: {mistake.description}")
    for said, candidate in _wrong_masks(case):
        if _differs_structure(candidate, case.expected, names, rtol) and _matches(
            case.got, candidate, names, case.expected, rtol
        ):
            yield Diagnosis("missing-mask", said)
            break
    pairs = leaf_pairs(case)
    if isinstance(case.expected, tuple) and len(case.expected) == 2:
        swapped = (case.expected[1], case.expected[0])
        if _differs_structure(swapped, case.expected, names, rtol) and _matches_unlabelled(
            case.got, swapped, case.expected
        ):
            yield Diagnosis("swapped-arguments", "the two results are in the wrong order")
    for kind, said, candidate in _changed_inputs(case):
        if _differs_structure(candidate, case.expected, names, rtol) and _matches(
            case.got, candidate, names, case.expected, rtol
        ):
            yield Diagnosis(kind, said)
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
        tol = TIGHT if leaf.dtype == "float64" else LOOSE
        for name, text, candidate in _leaf_transforms(case, expected):
            if _as_candidate(leaf, candidate, tol) and _differs(candidate, expected, tol):
                yield Diagnosis(name, f"{label}: {text}")
        flipped = _flipped_block(values, expected)
        if flipped:
            yield Diagnosis("sign", f"{label}: the sign of {flipped} is flipped")
        scaled = _scaled_block(values, expected)
        if scaled:
            yield Diagnosis("factor", f"{label}: {scaled}")
        band = {"float32": 1e-3, "float16": 1e-2}.get(leaf.dtype)
        if band is not None and (
            compare(values, expected, rtol=band, atol=1e-6).ok
            or _rounding_alone(case, position, values, expected, leaf.dtype)
        ):
            yield Diagnosis("precision", f"{label}: the difference is {leaf.dtype} rounding")
        elif leaf.dtype == "float64" and not case.exercise.exact and _float32_values(values):
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


def _kind(diagnosis: Diagnosis) -> str:
    """What must be the same on every failing input for a diagnosis to hold on all of them:
    its class, and for a constant factor the factor too (2 times here, 5 times there is no
    constant factor)."""
    if diagnosis.name == "factor":
        return diagnosis.description.split(": ", 1)[-1]
    return diagnosis.name


def _ruled_out(description: str, refuted: set[str]) -> bool:
    """The description is a refuted one, alone or after a result's label ("dy/dz: ...")."""
    return any(description == r or description.endswith(": " + r) for r in refuted)


def _refuted(passing: Sequence[Case]) -> set[str]:
    """The descriptions of the declared mistakes and input changes that a passing input rules
    out: their answer there differs from the right one, which the student gave.

    Generic changes of the answer (a sign, a factor, a shift) are never ruled out so: 2/|x|
    is a sign error on x < 0 and right on x > 0, a floor one too few only where b does not
    divide m.  A formula of the inputs is the same formula everywhere: `if z == 1: return
    (I, ones)` matches "dy/dz = z ones" at z = 1 only, and every other z refutes it."""
    out: set[str] = set()
    for case in passing:
        names = case.exercise.results
        rtol = 0.0 if case.exercise.exact else TIGHT
        for mistake in case.exercise.mistakes:
            try:
                with np.errstate(all="ignore"):
                    candidate = mistake.answer(*case.args())
            except Exception:  # a mistake's formula may not apply to this input
                continue
            if _differs_structure(candidate, case.expected, names, rtol, case.exercise.exact):
                out.add(mistake.description)
        for _, said, candidate in _changed_inputs(case):
            if _differs_structure(candidate, case.expected, names, rtol):
                out.add(said)
    return out


def diagnose(case: Case, *others: Case, passing: Sequence[Case] = ()) -> Diagnosis | None:
    """The known mistake that explains the student's answer on this case and on every other
    failing input, if any, and that no passing input rules out (`_refuted`).

    A minimal case is often degenerate (z = 0, x = 1, N = 2), where two mistakes give the
    same answer, or where a mistake coincides with an unrelated wrong answer; `others` (other
    failing inputs, see `keep_witness`) decide: a mistake is named only when it explains every
    one of them, the most specific (first) such one.  One that explains some of them but not
    all is named with "on some inputs" and without a class (`Diagnosis.name` is "").
    """
    found = list(_candidates(case))
    if passing:
        refuted = _refuted(passing)
        found = [d for d in found if not _ruled_out(d.description, refuted)]
    others = tuple(other for other in others if not _nearly_right(other))
    if not found or not others:
        return found[0] if found else None
    explained = [{_kind(d) for d in _candidates(other)} for other in others]
    support = [sum(_kind(d) in kinds for kinds in explained) for d in found]
    for diagnosis, count in zip(found, support, strict=True):
        if count == len(others):
            return diagnosis
    best = max(support)
    if best == 0:
        return None
    partial = found[support.index(best)]
    return Diagnosis("", f"on some inputs only: {partial.description}")


def _nearly_right(case: Case) -> bool:
    """The answer fails, but is within LOOSE of the right one in every entry (weights of 1e-9:
    W a and W.T a differ by 1e-10): no mistake can be told from the right answer there, so the
    input neither confirms nor refutes one."""
    pairs = leaf_pairs(case)
    return bool(pairs) and all(
        leaf is not None
        and leaf.values.size == np.size(expected)
        and _close(leaf.values.reshape(np.shape(expected)), np.asarray(expected, dtype=np.float64))
        for _, expected, leaf in pairs
    )


def keep_witness(kept: list[Case], case: Case) -> None:
    """Add a failing case to `kept`, the witnesses of one identity, unless it holds
    WITNESSES cases already or one with the same inputs.

    The first failing inputs of the plan (grader/checking/run.py `sweep` keeps them) are
    seldom as degenerate as the minimal one (zeros, ones, a 1 x 1 layer).
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


def _as_candidate(leaf: Leaf, candidate: Array, rtol: float = LOOSE) -> bool:
    """The student's values equal the candidate, read in the candidate's shape when sizes agree."""
    if leaf.values.size != candidate.size:
        return False
    return _close(leaf.values.reshape(candidate.shape), candidate, rtol)


def _differs_structure(
    a: object, b: object, names: tuple[str, ...], rtol: float = LOOSE, exact: bool = False
) -> bool:
    fa, fb = flatten(a, names), flatten(b, names)
    if len(fa) != len(fb):
        return True
    return any(_differs(x, y, rtol, exact) for (_, x), (_, y) in zip(fa, fb, strict=True))


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
