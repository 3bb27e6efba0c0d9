"""The finite-difference identity: the answer, applied to a direction, equals a central difference.

For a result G = d f / d p, the prediction G·u (contracted over p's axes) must equal
(f(p + h u) - f(p - h u)) / 2h, computed in float64 in the grader, never on the student's
path.  The direction u is fixed by the inputs (so runs reproduce), and the grader's side
depends on the inputs alone, so it is kept in the memo of planned inputs.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from grader.checking.comparison import Comparison, Terms, compare, eps_of
from grader.checking.leaves import aligned, leaf_pairs
from grader.checking.memo import CentralDifference, Memo, Where
from grader.checking.rounding import rounding_bounds
from grader.exercise import Case, FiniteDifference, Verdict, flatten
from grader.sandbox import Leaf
from grader.timing import phase

__all__ = ["FiniteDifferences"]

Array = NDArray[np.float64]


def _direction(case: Case, shape: tuple[int, ...]) -> Array:
    """A direction for the central difference, fixed by the inputs (so runs reproduce)."""
    memo = case.memo
    if memo is None:
        digest = _digest(case)
    else:
        if memo.digest is None:
            memo.digest = _digest(case)
        digest = memo.digest
    rng = np.random.default_rng(digest)
    u: Array = rng.uniform(0.5, 1.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
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


def _param_value(case: Case, where: Where) -> Array:
    names, index = where
    if len(names) > 1:
        return np.array([float(case.inputs[n]) for n in names])
    value = case.inputs[names[0]]
    return np.asarray(value if index is None else value[index], dtype=np.float64)


def _perturbed(case: Case, where: Where, delta: Array) -> tuple[Any, ...]:
    """The arguments with the parameter at `where` moved by `delta`."""
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


def _contract(values: Array, u: Array) -> Array:
    """np.tensordot(values, u, axes=u.ndim), without its overhead (the same dot, the same bits)."""
    axes = u.ndim
    if values.ndim < axes or values.shape[values.ndim - axes :] != u.shape:
        return np.tensordot(values, u, axes=axes)  # it says what does not fit
    lead = values.shape[: values.ndim - axes]
    product: Array = np.dot(values.reshape(-1, u.size), u.reshape(u.size, 1))
    return product.reshape(lead)


def _along(where: Where) -> str:
    """The parameter a direction moves, as the student's signature names it: b, (x, y), Ws[1]."""
    names, index = where
    if len(names) > 1:
        return f"({', '.join(names)})"
    return names[0] if index is None else f"{names[0]}[{index}]"


def _short(values: Array) -> str:
    """An array on one line, each entry to at most 4 decimals: [0.9687, -0.9409]."""
    text = np.array2string(
        np.asarray(values, dtype=np.float64),
        separator=", ",
        max_line_width=10_000,
        formatter={"float_kind": lambda v: np.format_float_positional(v, precision=4, trim="-")},
    )
    return text.replace("\n", "")


def _smooth(case: Case, where: Where, delta: Array) -> bool:
    """Whether no ReLU pre-activation changes sign between p - delta and p + delta.

    The pre-activations are affine in each parameter (z = w.x + b, W a + b), so the same
    sign at both ends of the step means no kink in between.  The inputs near the kink that
    K11 allows (1e-6 and up) are checked against the reference only.
    """
    pre = case.exercise.pre_activations
    if pre is None:
        return True
    ends = [np.asarray(pre(*_perturbed(case, where, s * delta)), dtype=np.float64) for s in (1.0, -1.0)]
    return bool(np.all(ends[0] * ends[1] > 0))


@dataclass(frozen=True, slots=True)
class _Prediction:
    """The answer applied to a direction u, and the magnitude of the terms summed."""

    values: Array
    magnitude: Array
    answer_shape: tuple[int, ...]
    elementwise: bool

    def moved(self, bound: Array, u: Array) -> Array:
        """An error scale of the answer, applied to u as the answer is."""
        if self.elementwise or not u.ndim:
            moved: Array = bound * np.abs(u)
            return moved
        return np.tensordot(bound.reshape(self.answer_shape), np.abs(u), axes=u.ndim)


def _predict(values: Array, u: Array, elementwise: bool) -> _Prediction:
    """The answer `values` applied to the direction u (entry by entry when `elementwise`)."""
    if elementwise:
        predicted, magnitude = values * u, np.abs(values) * np.abs(u)
    elif u.ndim:
        predicted, magnitude = _contract(values, u), _contract(np.abs(values), np.abs(u))
    else:
        predicted, magnitude = values * u, np.abs(values * u)
    return _Prediction(predicted, magnitude, values.shape, elementwise)


@dataclass(frozen=True, slots=True)
class FiniteDifferences:
    """The answer agrees with central finite differences of the primal along a direction.

    For a result G = d f / d p, the prediction G·u (contracted over p's axes) must equal
    (f(p + h u) - f(p - h u)) / 2h.  The inputs are built away from kinks (K11) by more
    than the step can cross.
    """

    name: str
    step: float = 1e-6

    def prepare(self, case: Case) -> None:
        """Compute the central differences of a planned input set ahead (see grader.checking.plan)."""
        labels = {label for label, _ in flatten(case.expected, case.exercise.results)}
        for spec in case.exercise.finite_differences:
            for label, where in _params_for(spec, case):
                if label in labels:
                    self._difference(case, where)

    def _difference(self, case: Case, where: Where) -> CentralDifference:
        """The grader's side along one direction; kept in the case's memo when it has one."""
        memo = case.memo
        key = (where, self.step)
        if memo is not None and key in memo.differences:
            return memo.differences[key]
        with phase("reference"):
            found = self._compute_difference(case, where)
        if memo is not None:
            memo.differences[key] = found
        return found

    def _compute_difference(self, case: Case, where: Where) -> CentralDifference:
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
        return CentralDifference(direction=u, values=fd, atol=atol, smooth=_smooth(case, where, h * u))

    def terms(self, case: Case, pairs: list[tuple[str, Array, Leaf]]) -> list[Terms] | None:
        """The comparisons `check` makes first, for results in their shapes (identities.hold_on_all).

        They all pass exactly when `check` passes (a lower precision's scales are tried only
        after the first comparison failed).  None when a prediction does not have the central
        difference's shape: `check` judges that case.
        """
        labels = {label: leaf for label, _, leaf in pairs}
        out: list[Terms] = []
        for spec in case.exercise.finite_differences:
            for label, where in _params_for(spec, case):
                leaf = labels.get(label)
                if leaf is None:
                    continue
                difference = self._difference(case, where)
                if not difference.smooth:
                    continue
                prediction = _predict(leaf.values, difference.direction, spec.elementwise)
                if np.shape(prediction.values) != np.shape(difference.values):
                    return None
                out.append(
                    Terms(
                        prediction.values,
                        difference.values,
                        leaf.dtype,
                        prediction.magnitude,
                        rtol=1e-6,
                        atol=difference.atol,
                    )
                )
        return out

    def check(self, case: Case) -> Verdict | None:
        exercise = case.exercise
        assert exercise.primal is not None
        pairs = leaf_pairs(case)
        labels = {label: (e, leaf) for label, e, leaf in pairs}
        positions = {label: i for i, (label, _, _) in enumerate(pairs)}
        # The error scales, computed once when first needed (in the plan's memo when planned).
        rounding = case.memo if case.memo is not None else Memo()
        messages: list[str] = []
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
                difference = self._difference(case, where)
                if not difference.smooth:
                    continue  # the step crosses a kink: MatchesReference judges this input
                prediction = _predict(values, difference.direction, spec.elementwise)
                result = self._compare(case, difference, prediction, leaf, rounding, positions[label])
                if not result.ok:
                    u = difference.direction
                    messages.append(
                        result.message(f"{label} applied to a direction u vs the central difference")
                    )
                    # The student reproduces the check with this u: the answer applied to it
                    # against (f(p + h u) - f(p - h u)) / 2h.
                    messages.append(f"    direction u along {_along(where)} = {_short(u)}")
                    expected_out.append(difference.values.tolist())
                    got_out.append(np.asarray(prediction.values).tolist())
        if not messages:
            return None
        return Verdict(message="\n".join(messages), expected=expected_out, got=got_out)

    @staticmethod
    def _compare(
        case: Case,
        difference: CentralDifference,
        prediction: _Prediction,
        leaf: Leaf,
        rounding: Memo,
        position: int,
    ) -> Comparison:
        """The prediction against the central difference, allowing a lower precision's rounding."""
        u, fd, atol = difference.direction, difference.values, difference.atol
        predicted, magnitude = prediction.values, prediction.magnitude
        result = compare(predicted, fd, dtype=leaf.dtype, scale=magnitude, rtol=1e-6, atol=atol)
        if result.ok or leaf.dtype == "float64":
            return result
        # As in MatchesReference (K14): a lower-precision answer may be off by its error scale
        # (the exercise's, else what rounding the inputs moves it), here applied to u like the
        # answer itself.  The cheap scale is tried first.
        for bound in rounding_bounds(case, rounding, position):
            scale = magnitude + prediction.moved(bound, u)
            result = compare(predicted, fd, dtype=leaf.dtype, scale=scale, rtol=1e-6, atol=atol)
            if result.ok:
                break
        return result
