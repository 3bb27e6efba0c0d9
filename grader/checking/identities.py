"""The identities every exercise is checked against, and helpers to declare more.

- `Shape`: every result has the shape of the contract (K2); tuples have the right arity.
- `MatchesReference`: the values equal the reference's within the tolerance of comparison.py.
- `FiniteDifferences` (finite_differences.py): the answer, applied to a direction u, equals
  the central difference of the primal along u.
- `Relation`: any other fact, given by a function of the case (off-diagonal zeros, BP1-BP4,
  the chain rule ...).

The exercise sets (exercises/*.py) declare their relations with `Relation`, `leaf_pairs`
and `close`; the helpers of leaves.py are re-exported here for them.

`hold_on_all` judges many cases at once (a call's batch of planned input sets): an identity
that judges by array comparisons lists them (`terms`), and all of them are tested in a few
numpy operations (comparison.all_within); any other identity checks each case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader.checking.comparison import Terms, compare, within_each
from grader.checking.finite_differences import FiniteDifferences
from grader.checking.leaves import aligned, copy_input, expected_value, got_value, leaf_pairs, shape_text
from grader.checking.rounding import scales, sensitivity
from grader.exercise import Case, Exercise, Identity, Verdict, flatten
from grader.sandbox import Leaf

__all__ = [
    "FiniteDifferences",
    "MatchesReference",
    "Relation",
    "Shape",
    "aligned",
    "close",
    "copy_input",
    "expected_value",
    "failing_each",
    "got_value",
    "hold_on_all",
    "identities_of",
    "leaf_pairs",
]


def identities_of(exercise: Exercise) -> tuple[Identity, ...]:
    """The standard identities, then the exercise's own."""
    standard: list[Identity] = [Shape(), MatchesReference()]
    if exercise.primal is not None and exercise.finite_differences:
        standard.append(FiniteDifferences(name=f"agrees with finite differences of {exercise.primal_name}"))
    return (*standard, *exercise.identities)


Pairs = list[tuple[str, NDArray[np.float64], Leaf]]


def _matching(case: Case) -> Pairs | None:
    """`leaf_pairs(case)` when every result is there in the expected shape (Shape holds), else None."""
    names = case.exercise.results
    expected = flatten(case.expected, names)
    got = flatten(case.got, names)
    if len(got) != len(expected):
        return None
    by_label = dict(got)
    pairs: Pairs = []
    for label, e in expected:
        leaf = by_label.get(label)
        array = np.asarray(e, dtype=np.float64)
        if not isinstance(leaf, Leaf) or leaf.values.shape != array.shape:
            return None
        pairs.append((label, array, leaf))
    return pairs


def hold_on_all(identities: Sequence[Identity], cases: Sequence[Case]) -> bool:
    """Whether every identity holds on every case, judged at once.

    True exactly when checking each case alone would find no failure.  False when some
    identity fails on some case, or when a result is missing or of another shape: judge
    the cases one by one then, to know which fails and why.  An identity with a `terms`
    method lists its comparisons for a case whose results all have their shapes (None:
    check that case alone); the others check each case.
    """
    return all(kind == () for kind in failing_each(identities, cases))


def failing_each(identities: Sequence[Identity], cases: Sequence[Case]) -> list[tuple[str, ...] | None]:
    """For each case, the names of the identities that fail on it, in order, judged at once as
    `hold_on_all` judges: the comparisons of the identities with `terms` in a few numpy
    operations, the others case by case.  None for a case whose results are not all there in
    their shapes: judge it alone.
    """
    listed: list[Terms] = []
    owners: list[tuple[int, int]] = []  # the (case, identity) of each listed comparison
    found: list[set[int] | None] = []
    for c, case in enumerate(cases):
        pairs = _matching(case)
        if pairs is None:
            found.append(None)
            continue
        failing: set[int] = set()
        for j, ident in enumerate(identities):
            if isinstance(ident, Shape):
                continue  # every result has its shape (_matching)
            method = getattr(ident, "terms", None)
            terms = None if method is None else method(case, pairs)
            if terms is None:
                if ident.check(case) is not None:
                    failing.add(j)
            else:
                listed.extend(terms)
                owners.extend([(c, j)] * len(terms))
        found.append(failing)
    for (c, j), ok in zip(owners, within_each(listed), strict=True):
        if not ok:
            found[c].add(j)  # type: ignore[union-attr]
    return [None if f is None else tuple(identities[j].name for j in sorted(f)) for f in found]


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
                problems.append(f"{label} has {shape_text(leaf.values.shape)}; expected {shape_text(shape)}")
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
        declared = scales(case)
        measured: list[NDArray[np.float64]] | None = None
        out: list[tuple[str, str, bool]] = []
        for position, (label, expected, leaf) in enumerate(leaf_pairs(case)):
            values = aligned(expected, leaf)
            if values is None:
                shown = "nothing" if leaf is None else shape_text(leaf.values.shape)
                out.append(
                    (label, f"{label}: cannot compare {shown} with {shape_text(expected.shape)}", False)
                )
                continue
            assert leaf is not None
            scale: ArrayLike | None = None if declared is None else declared[position]
            result = compare(values, expected, dtype=leaf.dtype, scale=scale, exact=case.exercise.exact)
            if not result.ok and leaf.dtype != "float64" and not case.exercise.exact:
                # A lower-precision answer: measure how far rounding the inputs alone moves the
                # answer (K14), and allow that much.  Computed only here, where it is needed.
                if measured is None:
                    measured = sensitivity(case)
                scale = measured[position] if scale is None else np.maximum(scale, measured[position])
                result = compare(values, expected, dtype=leaf.dtype, scale=scale)
            if not result.ok:
                out.append((label, result.message(label), True))
        return out

    def terms(self, case: Case, pairs: Pairs) -> list[Terms]:
        """The comparisons `mismatches` makes first, for results in their shapes (hold_on_all).

        They all pass exactly when `check` passes: a lower precision's second comparison is
        made only after the first failed.
        """
        declared = scales(case)
        exact = case.exercise.exact
        return [
            Terms(leaf.values, e, leaf.dtype, None if declared is None else declared[position], exact=exact)
            for position, (_, e, leaf) in enumerate(pairs)
        ]

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


@dataclass(frozen=True, slots=True)
class Relation:
    """Any other identity, given by a function of the case that returns a Verdict or None."""

    name: str
    test: Callable[[Case], Verdict | None]

    def check(self, case: Case) -> Verdict | None:
        return self.test(case)


def close(
    got: ArrayLike, expected: ArrayLike, leaf: Leaf, *, scale: ArrayLike | None = None
) -> tuple[bool, str]:
    """Compare a student's array (any shape of the right size) with a value; (ok, message)."""
    target = np.asarray(expected, dtype=np.float64)
    values = np.asarray(got, dtype=np.float64)
    if values.size != target.size:
        return False, f"has {values.size} entries; {target.size} were expected"
    result = compare(values.reshape(target.shape), target, dtype=leaf.dtype, scale=scale)
    return result.ok, result.message()
