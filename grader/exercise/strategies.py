"""All input generation, in Hypothesis's own style: keyword-only options, validated early.

Inputs are built inside each exercise's domain by construction, never by heavy filtering
(notes/numerics.md §2.4): a ReLU pre-activation is drawn first, with |z| >= margin, and the
bias is solved for; a divisor is drawn as a sign and a magnitude.

Arrays are drawn as one byte string, two bytes an element, decoded by `Elements`: the
smallest codes are the small integers 0, 1, -1, 2, -2, ... and the others a fine grid over
the range, ends included.  One draw per array is several times faster than one float
draw per element (bench/, notes/numerics.md §3.4), and the arrays of an input set share one
draw once their sizes are drawn (`arrays`, `shaped`), no fill value piles entries on a kink,
and Hypothesis shrinks the bytes towards 0, so a minimal counterexample is made of 0s and
small integers and reads like a worked example.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

__all__ = [
    "Elements",
    "arrays",
    "away_from_zero",
    "elements",
    "floats",
    "layer",
    "matrix",
    "network",
    "neuron",
    "regression",
    "shaped",
    "sizes",
    "vector",
]

MAGNITUDE = 10.0
MARGIN = 0.01  # |z| >= MARGIN from the ReLU kink, far beyond any step or rounding


def _check_range(min_value: float, max_value: float) -> None:
    if not (math.isfinite(min_value) and math.isfinite(max_value) and min_value <= max_value):
        raise ValueError(f"need finite min_value <= max_value, got {min_value}, {max_value}")


@cache
def floats(
    *, min_value: float = -MAGNITUDE, max_value: float = MAGNITUDE
) -> st.SearchStrategy[float]:
    """Finite float64 values in [min_value, max_value], no subnormals."""
    _check_range(min_value, max_value)
    return st.floats(
        min_value=min_value,
        max_value=max_value,
        allow_nan=False,
        allow_infinity=False,
        allow_subnormal=False,
    )


@cache
def away_from_zero(
    *, min_magnitude: float = 0.1, max_magnitude: float = MAGNITUDE
) -> st.SearchStrategy[float]:
    """Floats with min_magnitude <= |v| <= max_magnitude, both signs."""
    _check_range(min_magnitude, max_magnitude)
    if min_magnitude <= 0:
        raise ValueError("min_magnitude must be positive")
    return st.builds(
        lambda negative, magnitude: -magnitude if negative else magnitude,
        st.booleans(),
        floats(min_value=min_magnitude, max_value=max_magnitude),
    )


@cache
def sizes(*, min_side: int = 1, max_side: int = 6) -> st.SearchStrategy[int]:
    """A dimension of a vector or matrix."""
    if not 1 <= min_side <= max_side:
        raise ValueError(f"need 1 <= min_side <= max_side, got {min_side}, {max_side}")
    return st.integers(min_value=min_side, max_value=max_side)


_SMALL = 42  # codes 0..41 are the integers 0, 1, -1, 2, -2, ..., 21, -21
_TOP = 65535


@dataclass(frozen=True, slots=True)
class Elements:
    """The values of array entries: [min_value, max_value], and |v| >= min_magnitude if set."""

    min_value: float = -MAGNITUDE
    max_value: float = MAGNITUDE
    min_magnitude: float = 0.0

    def decode(self, data: bytes) -> Any:
        """Map two bytes per entry to values; small codes are small integers."""
        return _table(self)[np.frombuffer(data, dtype=">u2")]

    def values(self, codes: Any) -> Any:
        """The value of each code (int64 array); `decode` looks them up in a table of all codes."""
        small = (codes + 1) // 2 * np.where(codes % 2 == 1, 1, -1)
        lo, hi, least = self.min_value, self.max_value, self.min_magnitude
        if least > 0:
            reach = max(abs(lo), abs(hi))
            sign = np.where(codes % 2 == 0, 1.0, -1.0)
            grid = sign * (least + (codes >> 1) / (_TOP >> 1) * (reach - least))
            grid = np.where((grid < lo) | (grid > hi), -grid, grid)
        else:
            grid = lo + (codes - _SMALL).clip(0) / (_TOP - _SMALL) * (hi - lo)
        usable = (codes < _SMALL) & (small >= lo) & (small <= hi) & (np.abs(small) >= least)
        return np.where(usable, small, grid).astype(np.float64)


_DEFAULT = Elements()


@cache
def _table(spec: Elements) -> Any:
    """The value of every one of the 65,536 codes (decoding by lookup is the hot path of drawing)."""
    table = spec.values(np.arange(_TOP + 1, dtype=np.int64))
    table.flags.writeable = False
    return table


@cache
def elements(
    *, min_value: float = -MAGNITUDE, max_value: float = MAGNITUDE, min_magnitude: float = 0.0
) -> Elements:
    """The entries of an array: see `Elements`; validated here."""
    _check_range(min_value, max_value)
    if min_magnitude < 0 or (min_magnitude > 0 and min_value != -max_value):
        raise ValueError("min_magnitude needs a symmetric range [-m, m] and a positive value")
    return Elements(min_value, max_value, min_magnitude)


@cache
def vector(n: int, *, elements: Elements | None = None) -> st.SearchStrategy[Any]:
    """A float64 array of shape (n,)."""
    spec = elements if elements is not None else Elements()
    return st.binary(min_size=2 * n, max_size=2 * n).map(spec.decode)


@cache
def matrix(rows: int, columns: int, *, elements: Elements | None = None) -> st.SearchStrategy[Any]:
    """A float64 array of shape (rows, columns)."""
    return vector(rows * columns, elements=elements).map(lambda v: v.reshape(rows, columns))


Field = tuple[tuple[int, ...], "Elements | None"]  # the shape of an array and its entries


@cache
def _bytes(size: int) -> st.SearchStrategy[bytes]:
    return st.binary(min_size=size, max_size=size)


def arrays(draw: Any, *fields: Field) -> list[Any]:
    """Several float64 arrays from one byte-string draw, two bytes an entry, in order.

    Each draw of Hypothesis costs far more than decoding, so the arrays of an input set,
    once their sizes are drawn, take one draw between them; each entry is decoded by its
    own `Elements` as in `vector` and shrinks the same way.
    """
    counts = [math.prod(shape) for shape, _ in fields]
    data = draw(_bytes(2 * sum(counts)))
    values, start = [], 0
    for (shape, spec), count in zip(fields, counts, strict=True):
        decoded = (spec if spec is not None else _DEFAULT).decode(data[2 * start : 2 * (start + count)])
        values.append(decoded.reshape(shape))
        start += count
    return values


def shaped(
    layout: Any, *, sides: int = 1, scalars: tuple[tuple[str, st.SearchStrategy[Any]], ...] = ()
) -> st.SearchStrategy[dict[str, Any]]:
    """Input sets of arrays: `sides` sizes (1..6) are drawn, `layout(*sides)` gives each
    array's name, shape and entries ({name: (shape, elements or None)}), and the arrays are
    drawn together (`arrays`); then each of `scalars` ((name, strategy) pairs) is drawn."""

    @st.composite
    def draw_inputs(draw: Any) -> dict[str, Any]:
        fields: dict[str, Field] = layout(*(draw(sizes()) for _ in range(sides)))
        inputs = dict(zip(fields, arrays(draw, *fields.values()), strict=True))
        for name, strategy in scalars:
            inputs[name] = draw(strategy)
        return inputs

    return draw_inputs()


@st.composite
def neuron(draw: Any, *, margin: float = MARGIN) -> dict[str, Any]:
    """(w, b, x) for act = max(0, w.x + b), with |w.x + b| >= margin (K11)."""
    n = draw(sizes())
    w, x, targets = arrays(draw, ((n,), None), ((n,), None), ((1,), elements(min_magnitude=margin)))
    z = float(targets[0])
    b = z - float(w @ x)
    assume(abs(float(w @ x) + b) >= margin / 2)  # rounding of the solve; almost never rejects
    return {"w": w, "b": b, "x": x}


@st.composite
def layer(draw: Any, *, margin: float = MARGIN) -> dict[str, Any]:
    """(W, b_vec, a_prev) with W (n_out, n_in) (K6) and every |z_j| >= margin."""
    n_out, n_in = draw(sizes()), draw(sizes())
    W, a_prev, z = arrays(
        draw, ((n_out, n_in), None), ((n_in,), None), ((n_out,), elements(min_magnitude=margin))
    )
    b_vec = z - W @ a_prev
    assume(bool(np.all(np.abs(W @ a_prev + b_vec) >= margin / 2)))
    return {"W": W, "b_vec": b_vec, "a_prev": a_prev}


def push_off_kink(w: Any, b: float, X: Any, margin: float) -> tuple[Any, float]:
    """Move rows of X (or b when w is tiny) so every |x_i . w + b| >= margin.

    The move is along the largest weight, so it is small: at most 2 * margin / 0.1.
    """
    X = X.copy()
    j = int(np.argmax(np.abs(w)))
    if abs(float(w[j])) >= 0.1:
        z = X @ w + b
        for i in np.flatnonzero(np.abs(z) < 2 * margin):
            target = 2 * margin if z[i] >= 0 else -2 * margin
            X[i, j] += (target - z[i]) / w[j]
        return X, b
    reach = float(np.max(np.abs(X @ w))) if X.size else 0.0
    return X, math.copysign(abs(b) + reach + 2 * margin, b if b != 0 else 1.0)


@st.composite
def regression(
    draw: Any, *, max_examples: int = 20, margin: float = MARGIN, with_lr: bool = False
) -> dict[str, Any]:
    """(w, b, X, y) for the MSE loss (K5), no pre-activation near the kink (K11)."""
    n = draw(sizes())
    N = draw(sizes(max_side=max_examples))
    b = draw(floats())
    w, X, y = arrays(draw, ((n,), None), ((N, n), None), ((N,), None))
    X, b = push_off_kink(w, b, X, margin)
    assume(bool(np.all(np.abs(X @ w + b) >= margin)))
    inputs = {"w": w, "b": b, "X": X, "y": y}
    if with_lr:
        inputs["lr"] = draw(floats(min_value=1e-4, max_value=0.1))
    return inputs


@st.composite
def network(draw: Any, *, max_layers: int = 3, batch: int | None = None) -> dict[str, Any]:
    """Ws, bs of 1..max_layers sigmoid layers (weights in [-2, 2]), x in [-3, 3], y in [0, 1].

    With `batch`, X (B, n_0) and Y (B, n_L) with B in 1..batch instead of x and y.
    """
    L = draw(st.integers(min_value=1, max_value=max_layers))
    widths = [draw(sizes()) for _ in range(L + 1)]
    weight = elements(min_value=-2, max_value=2)
    xs = elements(min_value=-3, max_value=3)
    ys = elements(min_value=0, max_value=1)
    fields: list[Field] = [((widths[i + 1], widths[i]), weight) for i in range(L)]
    fields += [((widths[i + 1],), weight) for i in range(L)]
    if batch is None:
        fields += [((widths[0],), xs), ((widths[-1],), ys)]
    else:
        B = draw(st.integers(min_value=1, max_value=batch))
        fields += [((B, widths[0]), xs), ((B, widths[-1]), ys)]
    values = arrays(draw, *fields)
    inputs: dict[str, Any] = {"Ws": values[:L], "bs": values[L : 2 * L]}
    inputs.update(zip(("x", "y") if batch is None else ("X", "Y"), values[2 * L :], strict=True))
    return inputs
