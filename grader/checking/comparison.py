"""The one comparison of matgrade: a student's array against an expected one, with tolerances.

The tolerance follows notes/numerics.md §2.1: element-wise
    |got - expected| <= atol + rtol * |expected| + C * eps(student dtype) * S
where S is the error scale of the computation (the same sum computed on absolute values,
default |expected|).  It accepts any correct float64 computation, and a float32 one where
float32 rounding explains the difference.  On a mismatch the result says how many elements
differ and shows the worst ones, like pytest's approx.

`all_within` is the same test on many comparisons at once (the batch judge of
identities.py): one concatenation and a few numpy operations instead of one `compare` each,
element by element the same arithmetic, so it holds exactly when every `compare` is ok.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["Comparison", "Terms", "all_within", "compare", "eps_of", "format_array", "within_each"]

RTOL = 1e-9
ATOL = 1e-12
ROUNDING = 32.0
_EPS = {"float16": 9.77e-4, "float32": 1.1920929e-07, "float64": 2.220446049250313e-16}


def eps_of(dtype: str) -> float:
    """The rounding allowed for a dtype: float64's for anything wider, float32's at most.

    K14 allows float32 rounding; an answer in float16 gets no more than float32's allowance,
    or a 3% error would pass.
    """
    return min(_EPS.get(dtype, _EPS["float64"]), _EPS["float32"])


def format_array(value: ArrayLike, *, digits: int = 6) -> str:
    """A short, readable rendering of a number or an array for messages."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return f"{float(array):.{digits}g}"
    return np.array2string(array, precision=digits, separator=", ", suppress_small=False, max_line_width=78)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of comparing two arrays of the same shape."""

    ok: bool
    mismatched: int
    total: int
    worst: tuple[tuple[tuple[int, ...], float, float], ...] = ()  # (index, got, expected)
    max_abs: float = 0.0
    max_rel: float = 0.0
    nonfinite: bool = False

    def message(self, label: str = "") -> str:
        """'mismatched elements 2 / 4, largest difference ...' with the worst entries."""
        if self.ok:
            return ""
        head = f"{label}: " if label else ""
        if self.nonfinite:
            head += "contains nan or inf where the answer is finite; "
        lines = [
            f"{head}mismatched elements {self.mismatched} / {self.total}, "
            f"largest absolute difference {self.max_abs:.3g}, "
            f"largest relative difference {self.max_rel:.3g}"
        ]
        if self.worst and self.total > 1:
            lines.append("    index | got | expected")
            for index, got, expected in self.worst:
                where = ", ".join(str(i) for i in index) or "()"
                lines.append(f"    ({where}) | {got:.6g} | {expected:.6g}")
        return "\n".join(lines)


def compare(
    got: ArrayLike,
    expected: ArrayLike,
    *,
    dtype: str = "float64",
    scale: ArrayLike | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
    exact: bool = False,
) -> Comparison:
    """Compare two arrays of the same shape element-wise; see the module docstring.

    Args:
        got: the student's values (float64, already reshaped to the expected shape).
        expected: the reference values.
        dtype: the dtype the student computed in, for the rounding term.
        scale: the error scale S (broadcastable to the shape), default |expected|.
        exact: compare exactly (counts); no tolerance at all.
    """
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    if exact:
        bad = ~(g == e)
    else:
        s = np.abs(e) if scale is None else np.abs(scale)
        if s.shape != e.shape:
            s = np.broadcast_to(s, e.shape)
        tol = atol + rtol * np.abs(e) + ROUNDING * eps_of(dtype) * s
        with np.errstate(invalid="ignore", over="ignore"):
            diff = np.abs(g - e)
            bad = ~(diff <= tol)
    total = int(e.size)
    mismatched = int(np.count_nonzero(bad))
    if mismatched == 0:
        return Comparison(ok=True, mismatched=0, total=total)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        diff = np.abs(g - e)
        rel = np.where(e != 0, diff / np.abs(e), np.where(diff == 0, 0.0, np.inf))
    finite = np.isfinite(diff)
    max_abs = float(np.max(diff[finite])) if finite.any() else float("inf")
    if not finite.all():
        max_abs = float("inf")
    max_rel = float(np.max(np.where(np.isnan(rel), np.inf, rel)))
    order = np.argsort(np.where(np.isnan(diff), np.inf, diff), axis=None, kind="stable")[::-1]
    worst = []
    for flat in order[: min(3, mismatched)]:
        index = tuple(int(i) for i in np.unravel_index(int(flat), e.shape))
        worst.append((index, float(g[index]), float(e[index])))
    return Comparison(
        ok=False,
        mismatched=mismatched,
        total=total,
        worst=tuple(worst),
        max_abs=max_abs,
        max_rel=max_rel,
        nonfinite=bool(np.any(~np.isfinite(g)) and np.all(np.isfinite(e))),
    )


@dataclass(frozen=True, slots=True)
class Terms:
    """The arguments of one `compare` call, kept to be tested with many others at once.

    `got`, `expected` and `scale` have the same shape (the caller makes sure: a comparison
    whose arrays would broadcast is judged by `compare` itself, not here).
    """

    got: ArrayLike
    expected: ArrayLike
    dtype: str = "float64"
    scale: ArrayLike | None = None
    rtol: float = RTOL
    atol: float = ATOL
    exact: bool = False


def all_within(terms: Sequence[Terms]) -> bool:
    """Whether `compare(t.got, t.expected, ...)` is ok for every one of `terms`.

    The same element-wise arithmetic as `compare` (the same operations in the same order, on
    the same float64 values), on all the comparisons concatenated: tolerances, exact tests
    and non-finite values give what each comparison alone gives.
    """
    return bool(np.all(within_each(terms)))


def _per_term(ok: Any, sizes: Sequence[int]) -> Any:
    """Whether every element of each term's run of `ok` holds (an empty run holds)."""
    bounds = np.cumsum([0, *sizes])
    failing = np.concatenate([[0], np.cumsum(~ok)])
    return failing[bounds[1:]] == failing[bounds[:-1]]


def within_each(terms: Sequence[Terms]) -> Any:
    """`all_within` term by term: a boolean array, one entry per term, in order."""
    result = np.ones(len(terms), dtype=bool)
    if not terms:
        return result
    exact = [i for i, t in enumerate(terms) if t.exact]
    if exact:
        g = np.concatenate([np.asarray(terms[i].got, dtype=np.float64).ravel() for i in exact])
        e = np.concatenate([np.asarray(terms[i].expected, dtype=np.float64).ravel() for i in exact])
        sizes = [int(np.size(terms[i].expected)) for i in exact]
        result[exact] = _per_term(g == e, sizes)
    index = [i for i, t in enumerate(terms) if not t.exact]
    if not index:
        return result
    near = [terms[i] for i in index]
    got: list[ArrayLike] = []
    expected: list[ArrayLike] = []
    scale: list[ArrayLike] = []
    sizes = []
    atol: list[float] = []
    rtol: list[float] = []
    factor: list[float] = []
    factors: dict[str, float] = {}
    for t in near:
        e = np.asarray(t.expected, dtype=np.float64)
        s: ArrayLike = e if t.scale is None else t.scale
        times = factors.get(t.dtype)
        if times is None:
            times = factors[t.dtype] = ROUNDING * eps_of(t.dtype)
        if np.shape(s) != e.shape:
            s = np.broadcast_to(s, e.shape)
        if np.asarray(s).dtype != np.float64:
            # compare multiplies a scale in its own dtype (a float32 one stays float32): take
            # that product as it is, times 1.0 (exact; |product| is the product).
            s, times = times * np.abs(s), 1.0
        got.append(t.got)
        expected.append(e)
        scale.append(s)
        sizes.append(e.size)
        atol.append(t.atol)
        rtol.append(t.rtol)
        factor.append(times)
    g = np.concatenate(got, axis=None, dtype=np.float64)
    e = np.concatenate(expected, axis=None)
    # atol + rtol |e| + (ROUNDING eps) |S|, as compare computes it (the same order of operations)
    tol = np.repeat(atol, sizes) + np.repeat(rtol, sizes) * np.abs(e)
    tol = tol + np.repeat(factor, sizes) * np.abs(np.concatenate(scale, axis=None, dtype=np.float64))
    with np.errstate(invalid="ignore", over="ignore"):
        result[index] = _per_term(np.abs(g - e) <= tol, sizes)
    return result
