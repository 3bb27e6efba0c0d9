"""Hypothesis strategies for the reference tests: inputs inside each exercise's domain.

Everything is built constructively, never by filtering (notes/numerics.md §2.4): a ReLU
pre-activation is drawn first with |z| >= MARGIN and the bias (or one coordinate) is solved
for; a divisor is a sign and a magnitude; max(w, x) draws x and the gap w - x.  These are the
test suite's own strategies, kept apart from `grader.exercise.strategies` so that the references are
checked independently of the grader that uses them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

MAGNITUDE = 10.0
MARGIN = 1e-3  # |z| >= MARGIN keeps every finite-difference step off the ReLU kink

SETTINGS = settings(max_examples=60, deadline=None, database=None, derandomize=True)
NETWORKS = settings(max_examples=40, deadline=None, database=None, derandomize=True)  # the slowest
FEW = settings(max_examples=15, deadline=None, database=None, derandomize=True)


def reals(lo: float = -MAGNITUDE, hi: float = MAGNITUDE) -> st.SearchStrategy[float]:
    """Finite floats in [lo, hi], no subnormals."""
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def away_from_zero(lo: float = 0.1, hi: float = MAGNITUDE) -> st.SearchStrategy[float]:
    """Floats with lo <= |v| <= hi, of either sign."""
    return st.builds(lambda negative, m: -m if negative else m, st.booleans(), reals(lo, hi))


def sizes(lo: int = 1, hi: int = 6) -> st.SearchStrategy[int]:
    """A dimension."""
    return st.integers(lo, hi)


def vectors(n: int, elements: st.SearchStrategy[float] | None = None) -> st.SearchStrategy[Any]:
    """float64 arrays of shape (n,)."""
    return st.lists(elements if elements is not None else reals(), min_size=n, max_size=n).map(
        lambda v: np.array(v, dtype=np.float64)
    )


def matrices(
    rows: int, columns: int, elements: st.SearchStrategy[float] | None = None
) -> st.SearchStrategy[Any]:
    """float64 arrays of shape (rows, columns)."""
    size = rows * columns
    return st.lists(elements if elements is not None else reals(), min_size=size, max_size=size).map(
        lambda v: np.array(v, dtype=np.float64).reshape(rows, columns)
    )


def ln_sin_points() -> st.SearchStrategy[float]:
    """x with |x| <= 3 and |sin(x^3)| >= 0.1: x^3 = k pi + t, t in [asin 0.1, pi - asin 0.1]."""
    t = reals(math.asin(0.1), math.pi - math.asin(0.1))
    return st.builds(lambda k, t: float(np.cbrt(k * math.pi + t)), st.integers(-8, 7), t)


@st.composite
def vector_pairs(draw: Any, elements: st.SearchStrategy[float] | None = None) -> Any:
    """(w, x) of the same shape (n,), n = 1..6."""
    n = draw(sizes())
    return draw(vectors(n, elements)), draw(vectors(n, elements))


@st.composite
def untied_pairs(draw: Any, gap: float = MARGIN) -> Any:
    """(w, x) with |w_i - x_i| >= gap: x is drawn, then the gap."""
    n = draw(sizes())
    x = draw(vectors(n))
    return x + draw(vectors(n, away_from_zero(gap, MAGNITUDE))), x


@st.composite
def neurons(draw: Any, margin: float = MARGIN) -> Any:
    """(w, b, x) with |w . x + b| >= margin: z is drawn and b solved for."""
    n = draw(sizes())
    w, x = draw(vectors(n)), draw(vectors(n))
    z = draw(away_from_zero(margin, MAGNITUDE))
    return w, z - float(w @ x), x


@st.composite
def layers(draw: Any, margin: float = MARGIN, max_side: int = 6) -> Any:
    """(W, b_vec, a_prev), W of shape (n_out, n_in), every |z_j| >= margin."""
    n_out, n_in = draw(sizes(1, max_side)), draw(sizes(1, max_side))
    W, a_prev = draw(matrices(n_out, n_in)), draw(vectors(n_in))
    z = draw(vectors(n_out, away_from_zero(margin, MAGNITUDE)))
    return W, z - W @ a_prev, a_prev


@st.composite
def regressions(draw: Any, margin: float = MARGIN, max_examples: int = 20) -> Any:
    """(w, b, X, y) with X (N, n) and every |x_i . w + b| >= margin.

    A row too close to the kink is moved along the largest weight until its z has a drawn
    magnitude in [margin, 1]; when every weight is tiny the bias moves every z instead.
    """
    n, N = draw(sizes()), draw(sizes(1, max_examples))
    w, b = draw(vectors(n)), draw(reals())
    X, y = draw(matrices(N, n)), draw(vectors(N))
    j = int(np.argmax(np.abs(w)))
    if abs(w[j]) >= 0.1:
        z = X @ w + b
        for i in np.flatnonzero(np.abs(z) < 2 * margin):
            target = math.copysign(draw(reals(2 * margin, 1.0)), z[i] if z[i] != 0 else 1.0)
            X[i, j] += (target - z[i]) / w[j]
    else:
        reach = float(np.max(np.abs(X @ w)))
        b = math.copysign(abs(b) + reach + 2 * margin, b if b != 0 else 1.0)
    return w, b, X, y


@st.composite
def networks(draw: Any, max_layers: int = 3, batch: int | None = None) -> Any:
    """(Ws, bs, x, y) for 1..max_layers sigmoid layers (K9 ranges); with `batch`, (Ws, bs, X, Y)."""
    L = draw(st.integers(1, max_layers))
    widths = [draw(sizes()) for _ in range(L + 1)]
    weight = reals(-2.0, 2.0)
    Ws = [draw(matrices(widths[k + 1], widths[k], weight)) for k in range(L)]
    bs = [draw(vectors(widths[k + 1], weight)) for k in range(L)]
    if batch is None:
        x = draw(vectors(widths[0], reals(-3.0, 3.0)))
        y = draw(vectors(widths[-1], reals(0.0, 1.0)))
        return Ws, bs, x, y
    B = draw(st.integers(1, batch))
    X = draw(matrices(B, widths[0], reals(-3.0, 3.0)))
    Y = draw(matrices(B, widths[-1], reals(0.0, 1.0)))
    return Ws, bs, X, Y
