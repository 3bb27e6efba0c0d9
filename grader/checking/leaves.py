"""The answer's leaves set against the reference's: labels, alignment, plain values.

A result is a float, an array, or a tuple or list of them (grader.exercise.flatten labels
each leaf).  The reference's leaves are float64 arrays; the student's are `Leaf`s from the
worker, which may have another shape (the shape identity judges that).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from grader.exercise import Case, flatten
from grader.sandbox import Leaf

__all__ = ["aligned", "copy_input", "expected_value", "got_value", "leaf_pairs", "shape_text"]


def shape_text(shape: tuple[int, ...]) -> str:
    """A shape as a sentence says it: "a float" or "shape (2, 3)"."""
    return "a float" if shape == () else f"shape {shape}"


def leaf_pairs(case: Case) -> list[tuple[str, NDArray[np.float64], Leaf | None]]:
    """(label, expected array, student Leaf or None when the structures differ)."""
    names = case.exercise.results
    expected = flatten(case.expected, names)
    got = flatten(case.got, names)
    got_by_label = dict(got)
    return [(label, np.asarray(e, dtype=np.float64), got_by_label.get(label)) for label, e in expected]


def aligned(expected: NDArray[np.float64], leaf: Leaf | None) -> NDArray[np.float64] | None:
    """The student's values in the expected shape when the sizes agree, else None."""
    if leaf is None:
        return None
    values: NDArray[np.float64] = leaf.values
    if values.shape == expected.shape:
        return values
    if values.size == expected.size:
        return values.reshape(expected.shape)
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
    """The reference's answer as plain nested lists/floats, for a counterexample."""

    def plain(value: Any) -> Any:
        if isinstance(value, (tuple, list)):
            return [plain(v) for v in value]
        return np.asarray(value, dtype=np.float64).tolist()

    return plain(case.expected)


def copy_input(value: Any) -> Any:
    """A copy of an input (arrays, lists of arrays), so a call cannot change the original (K12)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [copy_input(v) for v in value]
    return value
