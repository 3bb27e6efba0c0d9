"""Error scales of a lower-precision answer: how far float32 rounding moves a correct one (K14).

An answer computed in float32 differs from the float64 reference by rounding alone; how
much depends on the answer's magnitude and on how sensitive it is to its inputs.  Two
scales, cheapest first: the exercise's declared one (`Exercise.scale`, Σ|terms| per
result), then the sensitivity measured on the reference.  Both depend on the inputs alone,
so they are kept in the memo of planned inputs (grader/checking/memo.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader.checking.leaves import copy_input
from grader.checking.memo import Memo
from grader.exercise import Case, flatten

__all__ = ["rounding_bounds", "scales", "sensitivity"]

Array = NDArray[np.float64]

_RELATIVE = 1e-6


def scales(case: Case) -> list[ArrayLike] | None:
    """The exercise's declared error scale of each result, or None when it declares none."""
    scale = case.exercise.scale
    if scale is None:
        return None
    memo = case.memo
    if memo is None:
        return list(scale(*case.args()))
    if memo.scales is None:
        memo.scales = list(scale(*case.args()))
    return memo.scales


def sensitivity(case: Case) -> list[Array]:
    """`_sensitivity(case)`, kept in the case's memo when it has one."""
    memo = case.memo
    if memo is None:
        return _sensitivity(case)
    if memo.sensitivity is None:
        memo.sensitivity = _sensitivity(case)
    return memo.sensitivity


def _sensitivity(case: Case) -> list[Array]:
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


def rounding_bounds(case: Case, memo: Memo, position: int) -> Iterator[Array]:
    """The error scales of result `position` for a lower-precision answer, cheapest first:
    the exercise's declared scale, then the measured sensitivity to the inputs.

    `memo` keeps them between the results of one check when the case has no memo of its own.
    """
    if memo.scales is None:
        memo.scales = scales(case)
    if memo.scales is not None:
        yield np.asarray(memo.scales[position], dtype=np.float64)
    if memo.sensitivity is None:
        memo.sensitivity = sensitivity(case)
    yield np.asarray(memo.sensitivity[position], dtype=np.float64)
