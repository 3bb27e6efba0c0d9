"""The identities every exercise is checked against, and helpers to declare more.

- `Shape`: every result has the shape of the contract (K2); tuples have the right arity.
- `MatchesReference`: the values equal the reference's within the tolerance of compare.py.
- `FiniteDifferences`: the answer, applied to a direction u, equals the central difference
  of the primal along u (computed in float64 in the grader, never on the student's path).
- `Relation`: any other fact, given by a function of the case (off-diagonal zeros, BP1-BP4,
  the chain rule ...).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.checking.comparison import compare, eps_of
from grader.exercise import Case, Exercise, FiniteDifference, Verdict, flatten
from grader.sandbox import Leaf
from grader.timing import phase

__all__ = [
    "FiniteDifferences",
    "MatchesReference",
    "Relation",
    "Shape",
    "aligned",
    "close",
    "copy_input",
    "got_value",
    "leaf_pairs",
]


def _shape_text(shape: tuple[int, ...]) -> str:
    return "a float" if shape == () else f"shape {shape}"


def leaf_pairs(case: Case) -> list[tuple[str, Any, Leaf | None]]:
    """(label, expected array, student Leaf or None when the structures differ)."""
    names = case.exercise.results
    expected = flatten(case.expected, names)
    got = flatten(case.got, names)
    got_by_label = dict(got)
    return [(label, np.asarray(e, dtype=np.float64), got_by_label.get(label)) for label, e in expected]


def aligned(expected: Any, leaf: Leaf | None) -> Any:
    """The student's values in the expected shape when the sizes agree, else None."""
    if leaf is None:
        return None
    if leaf.values.shape == expected.shape:
        return leaf.values
    if leaf.values.size == expected.size:
        return leaf.values.reshape(expected.shape)
    return None


def got_value(case: Case) -> Any:
    """The student's answer as plain nested lists/floats, for a counterexample."""

    def plain(value: Any) -> Any:
        if isinstance(value, Leaf):
            return value.values.tolist()
        if isinstance(value, (tuple, list)):
            return [plain(v) for v in value]
        return value

    return plain(case.got)


def expected_value(case: Case) -> Any:
    def plain(value: Any) -> Any:
        if isinstance(value, (tuple, list)):
            return [plain(v) for v in value]
        return np.asarray(value, dtype=np.float64).tolist()

    return plain(case.expected)


def _memoised(case: Case, key: str, compute: Callable[[Case], Any]) -> Any:
    """compute(case), kept in the memo of planned inputs (grader.checking.plan) when they have one."""
    memo = getattr(case.inputs, "memo", None)
    if memo is None:
        return compute(case)
    if key not in memo:
        memo[key] = compute(case)
    return memo[key]


def _scales(case: Case) -> Sequence[Any] | None:
    scale = case.exercise.scale
    if scale is None:
        return None
    scales: list[Any] = _memoised(case, "scales", lambda c: list(scale(*c.args())))
    return scales


_RELATIVE = 1e-6


def _sensitivity(case: Case) -> list[Any]:
    """Per result, |answer| + sum_i |p_i| |d answer / d p_i| over every input entry p_i.

    This is the first-order change of the answer when each input moves by one relative unit:
    times eps(float32) it is what rounding the inputs to float32 does to a correct answer.
    Estimated with one-sided relative steps of the reference (inputs are far from kinks).
    """
    exercise = case.exercise
    names = exercise.results
    base = [np.asarray(v, dtype=np.float64) for _, v in flatten(case.expected, names)]
    total = [np.abs(v) for v in base]
    args = list(case.args())

    def bump(position: int, path: tuple[int, ...]) -> None:
        moved = [copy_input(a) for a in args]
        target = moved[position]
        if path and isinstance(target, list):
            target = target[path[0]]
            path = path[1:]
        if isinstance(target, np.ndarray):
            original = float(target[path])
            if original == 0.0:
                return
            target[path] = original * (1 + _RELATIVE)
        else:
            original = float(target)
            if original == 0.0:
                return
            moved[position] = original * (1 + _RELATIVE)
        with np.errstate(all="ignore"):
            out = flatten(exercise.reference(*moved), names)
        for i, (_, value) in enumerate(out):
            change = np.abs(np.asarray(value, dtype=np.float64) - base[i]) / _RELATIVE
            total[i] = total[i] + np.where(np.isfinite(change), change, 0.0)

    for position, value in enumerate(args):
        if isinstance(value, (bool, int)):
            continue
        if isinstance(value, list):
            for item, array in enumerate(value):
                for index in np.ndindex(np.shape(array)):
                    bump(position, (item, *index))
        elif isinstance(value, np.ndarray):
            for index in np.ndindex(value.shape):
                bump(position, index)
        else:
            bump(position, ())
    return total


def _rounding_bounds(case: Case, memo: dict[str, Any], position: int) -> Iterator[Any]:
    """The error scales of result `position` for a lower-precision answer, cheapest first:
    the exercise's declared scale, then the measured sensitivity to the inputs."""
    if "scales" not in memo:
        memo["scales"] = _scales(case)
    if memo["scales"] is not None:
        yield np.asarray(memo["scales"][position], dtype=np.float64)
    if "sensitivity" not in memo:
        memo["sensitivity"] = _sensitivity(case)
    yield np.asarray(memo["sensitivity"][position], dtype=np.float64)


def copy_input(value: Any) -> Any:
    """A copy of an input (arrays, lists of arrays), so a call cannot change the original (K12)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [copy_input(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Shape:
    """Every result has the contract's shape, and tuples and lists have the right length."""

    name: str = "returns results of the shapes the contract states (K2, K4, K10)"

    def check(self, case: Case) -> Verdict | None:
        problems = []
        names = case.exercise.results
        expected = flatten(case.expected, names)
        got = flatten(case.got, names)
        if len(got) != len(expected):
            problems.append(f"returned {len(got)} arrays in all; {len(expected)} were expected")
        got_by_label = dict(got)
        for label, e in expected:
            leaf = got_by_label.get(label)
            shape = np.shape(e)
            if leaf is not None and leaf.values.shape != shape:
                problems.append(
                    f"{label} has {_shape_text(leaf.values.shape)}; expected {_shape_text(shape)}"
                )
        if not problems:
            return None
        return Verdict(
            message="; ".join(problems),
            expected={f"shape of {label}": list(np.shape(e)) for label, e in expected},
            got={f"shape of {label}": list(leaf.values.shape) for label, leaf in got},
        )


@dataclass(frozen=True, slots=True)
class MatchesReference:
    """The values equal the reference answer (compared in the expected shape)."""

    name: str = "matches the reference answer"

    def mismatches(self, case: Case) -> list[tuple[str, str, bool]]:
        """(label, message, comparable) for each result leaf that differs from the reference.

        A leaf that cannot be aligned with the expected one (missing, or another size) differs,
        and is not `comparable`.
        """
        scales = _scales(case)
        sensitivity: list[Any] | None = None
        out: list[tuple[str, str, bool]] = []
        for position, (label, expected, leaf) in enumerate(leaf_pairs(case)):
            values = aligned(expected, leaf)
            if values is None:
                shown = "nothing" if leaf is None else _shape_text(leaf.values.shape)
                out.append(
                    (label, f"{label}: cannot compare {shown} with {_shape_text(expected.shape)}", False)
                )
                continue
            assert leaf is not None
            scale = None if scales is None else scales[position]
            result = compare(values, expected, dtype=leaf.dtype, scale=scale, exact=case.exercise.exact)
            if not result.ok and leaf.dtype != "float64" and not case.exercise.exact:
                # A lower-precision answer: measure how far rounding the inputs alone moves the
                # answer (K14), and allow that much.  Computed only here, where it is needed.
                if sensitivity is None:
                    sensitivity = _memoised(case, "sensitivity", _sensitivity)
                scale = sensitivity[position] if scale is None else np.maximum(scale, sensitivity[position])
                result = compare(values, expected, dtype=leaf.dtype, scale=scale)
            if not result.ok:
                out.append((label, result.message(label), True))
        return out

    def check(self, case: Case) -> Verdict | None:
        mismatches = self.mismatches(case)
        if not mismatches:
            return None
        unaligned = any(not comparable for _, _, comparable in mismatches)
        return Verdict(
            message="\n".join(message for _, message, _ in mismatches),
            expected=expected_value(case),
            got=got_value(case),
            diagnosis="shape" if unaligned else None,
        )


def _direction(case: Case, shape: tuple[int, ...]) -> Any:
    """A direction for the central difference, fixed by the inputs (so runs reproduce)."""
    digest = _memoised(case, "direction digest", _digest)
    rng = np.random.default_rng(digest)
    u = rng.uniform(0.5, 1.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    return u


def _digest(case: Case) -> int:
    return zlib.crc32(repr(sorted((k, np.asarray(v).tolist()) for k, v in _array_items(case))).encode())


def _array_items(case: Case) -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for key, value in case.inputs.items():
        if isinstance(value, list):
            items.extend((f"{key}[{i}]", v) for i, v in enumerate(value))
        else:
            items.append((key, value))
    return items


Where = tuple[tuple[str, ...], int | None]


def _params_for(spec: FiniteDifference, case: Case) -> list[tuple[str, Where]]:
    """(label of the result leaf, which parameter it differentiates) pairs.

    A tuple of scalar parameters, e.g. ("x", "y") for a gradient, acts as one vector; a list
    parameter (the Ws of backprop) pairs item i with the result leaf `result[i]`.
    """
    names = spec.param if isinstance(spec.param, tuple) else (spec.param,)
    value = case.inputs[names[0]]
    if len(names) == 1 and isinstance(value, list):
        return [(f"{spec.result}[{i}]", (names, i)) for i in range(len(value))]
    return [(spec.result, (names, None))]


def _param_value(case: Case, where: Where) -> Any:
    names, index = where
    if len(names) > 1:
        return np.array([float(case.inputs[n]) for n in names])
    value = case.inputs[names[0]]
    return np.asarray(value if index is None else value[index], dtype=np.float64)


def _perturbed(case: Case, where: Where, delta: Any) -> tuple[Any, ...]:
    names, index = where
    args = []
    for param in case.exercise.params:
        value = case.inputs[param]
        if param in names:
            if len(names) > 1:
                value = value + float(delta[names.index(param)])
            elif index is None:
                value = value + delta
            else:
                value = [v + delta if i == index else v for i, v in enumerate(value)]
        args.append(value)
    return tuple(args)


def _contract(values: Any, u: Any) -> Any:
    """np.tensordot(values, u, axes=u.ndim), without its overhead (the same dot, the same bits)."""
    axes = u.ndim
    if values.ndim < axes or values.shape[values.ndim - axes :] != u.shape:
        return np.tensordot(values, u, axes=axes)  # it says what does not fit
    lead = values.shape[: values.ndim - axes]
    product = np.dot(values.reshape(-1, u.size), u.reshape(u.size, 1))
    return product.reshape(lead)


@dataclass(frozen=True, slots=True)
class FiniteDifferences:
    """The answer agrees with central finite differences of the primal along a direction.

    For a result G = d f / d p, the prediction G·u (contracted over p's axes) must equal
    (f(p + h u) - f(p - h u)) / 2h.  The inputs are built away from kinks (K11) by more
    than the step can cross.
    """

    name: str
    step: float = 1e-6

    def prepare(self, exercise: Exercise, inputs: Mapping[str, Any], expected: Any) -> None:
        """Compute the central differences of a planned input set ahead (see grader.checking.plan)."""
        case = Case(exercise=exercise, inputs=inputs, expected=expected, got=None)
        labels = {label for label, _ in flatten(expected, exercise.results)}
        for spec in exercise.finite_differences:
            for label, where in _params_for(spec, case):
                if label in labels:
                    self._difference(case, where)

    def _difference(self, case: Case, where: Where) -> tuple[Any, Any, float]:
        """(direction u, central difference along u, its absolute tolerance): the grader's side.

        It depends on the inputs alone, so it is kept in the memo of planned inputs.
        """
        memo = getattr(case.inputs, "memo", None)
        key = ("central difference", where, self.step)
        if memo is not None and key in memo:
            found: tuple[Any, Any, float] = memo[key]
            return found
        with phase("reference"):
            u, fd, atol = self._compute_difference(case, where)
        result = (u, fd, atol)
        if memo is not None:
            memo[key] = result
        return result

    def _compute_difference(self, case: Case, where: Where) -> tuple[Any, Any, float]:
        exercise = case.exercise
        assert exercise.primal is not None
        param = _param_value(case, where)
        u = _direction(case, param.shape)
        h = self.step * max(1.0, float(np.max(np.abs(param))) if param.size else 1.0)
        plus = np.asarray(exercise.primal(*_perturbed(case, where, h * u)), dtype=np.float64)
        minus = np.asarray(exercise.primal(*_perturbed(case, where, -h * u)), dtype=np.float64)
        fd = (plus - minus) / (2 * h)
        big = max(
            float(np.max(np.abs(plus), initial=0.0)),
            float(np.max(np.abs(minus), initial=0.0)),
        )
        atol = 1e-7 + 1e-6 * float(np.max(np.abs(fd), initial=0.0)) + 1e3 * eps_of("float64") * big / h
        return u, fd, atol

    def check(self, case: Case) -> Verdict | None:
        exercise = case.exercise
        assert exercise.primal is not None
        pairs = leaf_pairs(case)
        labels = {label: (e, leaf) for label, e, leaf in pairs}
        positions = {label: i for i, (label, _, _) in enumerate(pairs)}
        rounding: dict[str, Any] = {}  # the error scales, computed once when first needed
        messages = []
        expected_out: list[Any] = []
        got_out: list[Any] = []
        for spec in exercise.finite_differences:
            for label, where in _params_for(spec, case):
                if label not in labels:
                    continue
                expected, leaf = labels[label]
                values = aligned(expected, leaf)
                if values is None or leaf is None:
                    continue  # the shape identity reports it
                u, fd, atol = self._difference(case, where)
                if spec.elementwise:
                    predicted = values * u
                    magnitude = np.abs(values) * np.abs(u)
                elif u.ndim:
                    predicted = _contract(values, u)
                    magnitude = _contract(np.abs(values), np.abs(u))
                else:
                    predicted = values * u
                    magnitude = np.abs(values * u)
                result = compare(predicted, fd, dtype=leaf.dtype, scale=magnitude, rtol=1e-6, atol=atol)
                if not result.ok and leaf.dtype != "float64":
                    # As in MatchesReference (K14): a lower-precision answer may be off by its
                    # error scale (the exercise's, else what rounding the inputs moves it), here
                    # applied to u like the answer itself.  The cheap scale is tried first.
                    for bound in _rounding_bounds(case, rounding, positions[label]):
                        if spec.elementwise or not u.ndim:
                            moved = bound * np.abs(u)
                        else:
                            moved = np.tensordot(bound.reshape(values.shape), np.abs(u), axes=u.ndim)
                        result = compare(
                            predicted, fd, dtype=leaf.dtype, scale=magnitude + moved, rtol=1e-6, atol=atol
                        )
                        if result.ok:
                            break
                if not result.ok:
                    messages.append(
                        result.message(f"{label} applied to a direction u vs the central difference")
                    )
                    # The student reproduces the check with this u: the answer applied to it
                    # against (f(p + h u) - f(p - h u)) / 2h.
                    messages.append(f"    direction u along {_along(where)} = {_short(u)}")
                    expected_out.append(fd.tolist())
                    got_out.append(np.asarray(predicted).tolist())
        if not messages:
            return None
        return Verdict(message="\n".join(messages), expected=expected_out, got=got_out)


def _along(where: Where) -> str:
    """The parameter a direction moves, as the student's signature names it: b, (x, y), Ws[1]."""
    names, index = where
    if len(names) > 1:
        return f"({', '.join(names)})"
    return names[0] if index is None else f"{names[0]}[{index}]"


def _short(values: Any) -> str:
    """An array on one line, each entry to at most 4 decimals: [0.9687, -0.9409]."""
    text = np.array2string(
        np.asarray(values, dtype=np.float64),
        separator=", ",
        max_line_width=10_000,
        formatter={"float_kind": lambda v: np.format_float_positional(v, precision=4, trim="-")},
    )
    return text.replace("\n", "")


@dataclass(frozen=True, slots=True)
class Relation:
    """Any other identity, given by a function of the case that returns a Verdict or None."""

    name: str
    test: Callable[[Case], Verdict | None]

    def check(self, case: Case) -> Verdict | None:
        return self.test(case)


def close(got: Any, expected: Any, leaf: Leaf, *, scale: Any = None) -> tuple[bool, str]:
    """Compare a student's array (any shape of the right size) with a value; (ok, message)."""
    expected = np.asarray(expected, dtype=np.float64)
    values = np.asarray(got, dtype=np.float64)
    if values.size != expected.size:
        return False, f"has {values.size} entries; {expected.size} were expected"
    result = compare(values.reshape(expected.shape), expected, dtype=leaf.dtype, scale=scale)
    return result.ok, result.message()
