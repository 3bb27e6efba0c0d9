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

Plain random draws miss where over-clever answers go wrong, so a share of every input set
is given structure or put in a corner the contract allows (docs/performance.md gives the
shares and why):

- structure (`arrays`, for every exercise, from the shapes and `Elements` it declares): exact
  zeros (an array, a component, a row), small integers, values at several scales, equal
  arrays of the same shape, constant vectors and duplicate rows, the ends of each range;
- sizes (`shaped`, `layer`, `regression`, `network`): every side 1, square, every side at
  its largest;
- corners: pre-activations 2^-19 .. 2^-7 (1.9e-6 .. 7.8e-3) on either side of the ReLU kink
  (`neuron`, `layer`, `regression`, and entries declared `Elements(kink=True)`), with the
  other inputs small integers so that the pre-activation is exact in float64 and float32
  alike, whatever the order of the sums; saturated sigmoids (`network`, and entries declared
  `Elements(saturation=...)`); a square matrix equal or next to the identity; scalars at 0,
  1 and the range's ends (`scalar`); nearly fitted models (`regression`); a learning rate of
  exactly its bound; counts with remainders at both extremes and where float rounding of
  m / b shows (`counts`).

Every transformation keeps each entry inside its `Elements` (`Elements.admits`), so the
domain holds by construction; the header bytes that choose it shrink to 0, the plain draw.

Hypothesis shrinks poorly across such a switch: a corner with fewer free choices (every side
at its largest, m = q b + 1 with b > 1000) keeps its size once the choices it ignores have
shrunk, since switching back to the plain draw then no longer fails.  So the search, once
something failed, shrinks once more `plain_only()`: the same strategies without structure or
corners, whose draws shrink to the smallest input (grader/checking/run.py keeps the smaller).

Nor does it shrink a size well: a smaller side changes the length of the entries' draw,
which Hypothesis then draws anew, as zeros, and zeros often pass.  So when the smallest
failure found still has a side above 1, the search looks once more with `small_sides()`:
plain draws with every side, layer count and batch at most 2, where a failing input, if
there is one, is met by drawing and then shrunk in its values alone.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

__all__ = [
    "NEAR_KINK",
    "Elements",
    "arrays",
    "away_from_zero",
    "counts",
    "dimensions",
    "elements",
    "family_of",
    "floats",
    "layer",
    "learning_rate",
    "matrix",
    "network",
    "neuron",
    "plain_only",
    "regression",
    "scalar",
    "shaped",
    "side",
    "sizes",
    "small_sides",
    "vector",
]

MAGNITUDE = 10.0
MARGIN = 0.01  # |z| >= MARGIN from the ReLU kink, far beyond any step or rounding
# The kink corner: pre-activations this close to 0, largest first (so they shrink towards
# 2^-7); K11 promises only 1e-6.  Powers of two, so that z is exact in float32 too.
NEAR_KINK = tuple(s * 2.0**-k for k in range(7, 20) for s in (1.0, -1.0))
_EXACT = 2.0**22  # |terms| * 2^k below this: every partial sum is exact in float32
_BYTE = st.integers(min_value=0, max_value=255)
_PLAIN_ONLY: ContextVar[bool] = ContextVar("plain_only", default=False)


@contextlib.contextmanager
def plain_only() -> Iterator[None]:
    """Inside, every strategy draws plainly: no structure family, no size, kink, saturation,
    learning-rate or count corner (the second, shrinking search of grader/checking/run.py)."""
    token = _PLAIN_ONLY.set(True)
    try:
        yield
    finally:
        _PLAIN_ONLY.reset(token)


def _plain() -> bool:
    return _PLAIN_ONLY.get()


_SMALL_SIDES: ContextVar[int | None] = ContextVar("small_sides", default=None)


@contextlib.contextmanager
def small_sides(most: int = 2) -> Iterator[None]:
    """Inside, every side, layer count and batch is drawn at most `most` (the third, small
    search of grader/checking/run.py; with `plain_only()`)."""
    if most < 1:
        raise ValueError(f"need most >= 1, got {most}")
    token = _SMALL_SIDES.set(most)
    try:
        yield
    finally:
        _SMALL_SIDES.reset(token)


def _capped(top: int) -> int:
    """`top`, or the cap of `small_sides` when it is lower."""
    most = _SMALL_SIDES.get()
    return top if most is None else max(1, min(top, most))


def side(draw: Any, *, max_side: int = 6) -> int:
    """One side 1..max_side, drawn inside a composite strategy (capped by `small_sides`)."""
    return int(draw(sizes(max_side=_capped(max_side))))


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


# The special values of `scalar`, commonest first: what students compare a scalar with.
_SPECIAL_SCALARS = (0.0, 1.0, -1.0, 2.0, 0.5, -2.0, 3.0, 1e-3)
_SCALAR_FAMILY = st.integers(min_value=0, max_value=7)


@cache
def scalar(
    *, min_value: float = -MAGNITUDE, max_value: float = MAGNITUDE
) -> st.SearchStrategy[float]:
    """A float in [min_value, max_value], as `floats`, with structure: one draw in eight 0,
    one 1 (`if z == 0`, `if z == 1`), one another special value (-1, 2, 0.5, -2, 3, 1e-3),
    one an end of the range exactly, each where the range admits it; the rest plain.  The
    family's draw shrinks to 0, the plain draw."""
    _check_range(min_value, max_value)
    plain = floats(min_value=min_value, max_value=max_value)
    admitted = tuple(v for v in _SPECIAL_SCALARS if min_value <= v <= max_value) or (min_value,)
    # 0 and 1 (the identities of + and *) one draw in eight each, the others share one
    chosen = {
        4: st.sampled_from(tuple(dict.fromkeys((min_value, max_value)))),
        5: st.just(admitted[0]),
        6: st.just(admitted[min(1, len(admitted) - 1)]),
        7: st.sampled_from(admitted[2:] or admitted),
    }

    @st.composite
    def draw(draw: Any) -> float:
        if _plain():
            return float(draw(plain))
        return float(draw(chosen.get(draw(_SCALAR_FAMILY), plain)))

    return draw()


@cache
def sizes(*, min_side: int = 1, max_side: int = 6) -> st.SearchStrategy[int]:
    """A dimension of a vector or matrix."""
    if not 1 <= min_side <= max_side:
        raise ValueError(f"need 1 <= min_side <= max_side, got {min_side}, {max_side}")
    return st.integers(min_value=min_side, max_value=max_side)


# The saturation corner's magnitudes: 10.5, 11, ..., 37.5 first (just past "about 10", where
# code clips z; s'(37.5) = 5e-17), then 6, 6.5, ..., 10, and the end of the range itself;
# exact in float32 too.  The smallest codes, the commonest, pick the first ones.
_SATURATED = tuple(10.5 + k / 2 for k in range(55)) + tuple(6.0 + k / 2 for k in range(9))
_SMALL = 42  # codes 0..41 are the integers 0, 1, -1, 2, -2, ..., 21, -21
_TOP = 65535


@dataclass(frozen=True, slots=True)
class Elements:
    """The values of array entries: [min_value, max_value], and |v| >= min_magnitude if set."""

    min_value: float = -MAGNITUDE
    max_value: float = MAGNITUDE
    min_magnitude: float = 0.0
    kink: bool = False  # pre-activations: the kink corner may put entries 2^-19..2^-7 from 0
    # sigmoid pre-activations: plain draws stay in [min_value, max_value], and the saturation
    # corner puts some entries at 6 <= |v| <= saturation, where a sigmoid saturates
    saturation: float = 0.0

    def admits(self, values: Any) -> Any:
        """Which values lie in [min_value, max_value] (or |v| <= saturation) with |v| >= min_magnitude."""
        v = np.asarray(values, dtype=np.float64)
        inside = (v >= self.min_value) & (v <= self.max_value)
        if self.saturation:
            inside |= np.abs(v) <= self.saturation
        return inside & (np.abs(v) >= self.min_magnitude)

    def ends(self) -> tuple[float, ...]:
        """The end values of the range, exactly: min_value, max_value, +-min_magnitude, 0
        (and +-saturation)."""
        found = [self.min_value, self.max_value, self.min_magnitude, -self.min_magnitude, 0.0]
        if self.saturation:
            found += [self.saturation, -self.saturation]
        return tuple(v for v in dict.fromkeys(found) if bool(self.admits(v)))

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
    table = Elements(spec.min_value, spec.max_value, spec.min_magnitude).values(
        np.arange(_TOP + 1, dtype=np.int64)
    )
    table.flags.writeable = False
    return table


@cache
def elements(
    *,
    min_value: float = -MAGNITUDE,
    max_value: float = MAGNITUDE,
    min_magnitude: float = 0.0,
    kink: bool = False,
    saturation: float = 0.0,
) -> Elements:
    """The entries of an array: see `Elements`; validated here.

    `kink` marks pre-activations of a ReLU drawn directly (jac_relu's x): plain draws keep
    |v| >= min_magnitude, and the kink corner puts some entries 2^-19..2^-7 from 0 (K11).
    `saturation` marks pre-activations of a sigmoid drawn directly (sigmoid_prime's z): plain
    draws stay in [min_value, max_value], and the saturation corner puts some entries at
    6 <= |v| <= saturation, the largest |z| the domain allows, that end included.
    """
    _check_range(min_value, max_value)
    if min_magnitude < 0 or (min_magnitude > 0 and min_value != -max_value):
        raise ValueError("min_magnitude needs a symmetric range [-m, m] and a positive value")
    if kink and not (min_value < 0 < max_value):
        raise ValueError("kink entries need a range around 0")
    if saturation and not (saturation >= 10 and -saturation <= min_value < 0 < max_value <= saturation):
        raise ValueError("saturation needs saturation >= 10 and -saturation <= min_value < 0 < max_value")
    return Elements(min_value, max_value, min_magnitude, kink, saturation)


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

# The structure families of `arrays`, chosen by the first header byte: 0.._PLAIN-1 is the
# plain draw (128 of the 256 header bytes); the rest is shared equally by the families.
_FAMILIES = ("zeros", "small", "scales", "ties", "repeated", "ends", "kink", "saturation", "identity")
# The 128 other header bytes, 16 to a slot: zeros and ties (the commonest special cases in
# students' code) take two slots each, the others one; the kink its own quarter (family_of).
_SLOTS = ("zeros", "ties", "small", "scales", "zeros", "ties", "repeated", "ends")
_PLAIN = 128
_SCALES = (1e-9, 1e-12, 1e-6, 1e-3, 0.0)  # 0.0: scaled up to the range's end
_NEAR_IDENTITY = (0.0, 1e-4, 0.0, 1e-9)  # times the drawn entries (at most 10): I + a tiny change


def family_of(
    header: int, *, kink: bool = False, saturation: bool = False, square: bool = False
) -> str | None:
    """The structure family a header byte chooses; None for the plain draw.

    With entries declared `kink`, a quarter of the header bytes (192..255) choose the kink
    corner; with entries declared `saturation`, an eighth (96..127, taken from the plain
    draws, so that every structure family stays) chooses the saturation corner; otherwise,
    with a square matrix (side 2 or more) among the arrays, a quarter (64..127, also taken
    from the plain draws) sets one of them to the identity (`if np.allclose(J, np.eye(n))`).
    """
    if kink and header >= 192:
        return "kink"
    if saturation and _PLAIN - 32 <= header < _PLAIN:
        return "saturation"
    if square and _PLAIN - 64 <= header < _PLAIN:
        return "identity"
    if header < _PLAIN:
        return None
    return _SLOTS[(header - _PLAIN) // 16]


@cache
def _bytes(size: int) -> st.SearchStrategy[bytes]:
    return st.binary(min_size=size, max_size=size)


def _admitted(spec: Elements, candidate: Any, original: Any) -> Any:
    """The candidate values where `spec` admits them, the original ones elsewhere."""
    candidate = np.asarray(candidate, dtype=np.float64)
    return np.where(spec.admits(candidate), candidate, original)


def _structured(family: str, p: int, values: list[Any], specs: list[Elements], codes: list[Any]) -> None:
    """Give the decoded arrays `values` the structure of `family` (in place), inside their specs.

    `p` (a header byte) chooses which array, row or scale; `codes` are each array's codes.
    """
    k = len(values)
    i = p % k
    target, spec = values[i], specs[i]
    if family == "zeros":
        where = np.zeros(target.shape, dtype=bool)
        mode = (p // 8) % 4
        if mode < 2 or target.size == 1:
            where[...] = True  # a whole argument
        elif mode == 2 or target.ndim == 1:
            where.flat[(p // 32) % target.size] = True  # one component
        else:
            where[(p // 32) % target.shape[0]] = True  # one row
        values[i] = np.where(where & spec.admits(0.0), 0.0, target)
    elif family == "small":  # small integers 0, 1, -1, 2, -2, 3, -3 where allowed
        for j, s in enumerate(specs):
            values[j] = _table(s)[codes[j] % 7].reshape(values[j].shape)
    elif family == "scales":  # one array, or all, scaled: tiny, or up to the range's end
        factor = _SCALES[(p // 8) % len(_SCALES)]
        for j, s in enumerate(specs):
            if j != i and (p // 40) % 2:
                continue
            v = values[j]
            if factor:
                scaled = v * factor
            else:  # the largest entry at the end of the range
                top = float(np.max(np.abs(v), initial=0.0))
                reach = max(abs(s.min_value), abs(s.max_value))
                scaled = v * (reach / top) if top > 0 else v
            values[j] = _admitted(s, scaled, v)
    elif family == "ties":
        same = [j for j in range(k) if values[j].shape == target.shape and j != i]
        if same:  # equal arguments: another array of the same shape equals this one
            j = same[(p // 8) % len(same)]
            values[j] = _admitted(specs[j], target, values[j])
        elif target.size > 1:  # ties inside the one array: every other entry repeats one
            flat = target.reshape(-1).copy()
            flat[1::2] = flat[0]
            values[i] = flat.reshape(target.shape)
        _repeat_example(values, p)
    elif family == "repeated":  # a constant vector (or matrix), and a repeated example
        values[i] = np.full(target.shape, target.reshape(-1)[0])
        _repeat_example(values, p)
    elif family == "ends":  # entries at the ends of their range, exactly
        for j, s in enumerate(specs):
            ends = np.array(s.ends())
            pick = codes[j] % (2 * len(ends))
            chosen = ends[pick % len(ends)].reshape(values[j].shape) if ends.size else values[j]
            values[j] = np.where(pick.reshape(values[j].shape) < len(ends), chosen, values[j])
    elif family == "kink":
        for j, s in enumerate(specs):
            if s.kink:
                c = codes[j].reshape(values[j].shape)
                near = np.array(NEAR_KINK)[c % len(NEAR_KINK)]
                hit = (c % 3 == 0) | (np.arange(c.size).reshape(c.shape) == p % c.size)
                values[j] = np.where(hit, near, values[j])
    elif family == "identity":  # a square matrix (this one, else another) is the identity,
        # exactly or within 1e-3 (np.allclose(J, I, atol=1e-2) holds, J != I)
        square = [j for j in range(k) if _square(values[j])]
        j = i if i in square else square[p % len(square)]
        eye = np.eye(values[j].shape[0]) + _NEAR_IDENTITY[(p // 8) % len(_NEAR_IDENTITY)] * values[j]
        values[j] = np.where(specs[j].admits(eye), eye, values[j])
    elif family == "saturation":  # some entries far into saturation, up to the range's end
        for j, s in enumerate(specs):
            if s.saturation:
                c = codes[j].reshape(values[j].shape)
                magnitudes = np.array((*(v for v in _SATURATED if v < s.saturation), s.saturation))
                far = magnitudes[(c // 6) % len(magnitudes)] * np.where((c // 3) % 2 == 0, 1.0, -1.0)
                hit = (c % 3 == 0) | (np.arange(c.size).reshape(c.shape) == p % c.size)
                values[j] = np.where(hit, far, values[j])


def _square(value: Any) -> bool:
    return bool(value.ndim == 2 and value.shape[0] == value.shape[1] >= 2)


def _repeat_example(values: list[Any], p: int) -> None:
    """A repeated example (in place): row 0 copied to another row of the first matrix, and the
    same entry of every array of that leading size (X's row with its y)."""
    matrices = [v for v in values if v.ndim == 2 and v.shape[0] > 1]
    if not matrices:
        return
    rows = matrices[0].shape[0]
    copy = 1 + (p // 16) % (rows - 1)
    for j, v in enumerate(values):
        if v.ndim >= 1 and v.shape[0] == rows:
            v = v.copy()
            v[copy] = v[0]
            values[j] = v


def arrays(draw: Any, *fields: Field) -> list[Any]:
    """Several float64 arrays from one byte-string draw, two bytes an entry, in order.

    Each draw of Hypothesis costs far more than decoding, so the arrays of an input set,
    once their sizes are drawn, take one draw between them; each entry is decoded by its
    own `Elements` as in `vector` and shrinks the same way.  Two header bytes, a draw of their
    own before it, choose a structure family (`family_of`) for half of the input sets; they
    shrink to the plain draw.
    """
    counts = [math.prod(shape) for shape, _ in fields]
    # The header is a draw of its own: when a size shrinks, the entries' draw changes length
    # and Hypothesis draws it anew, but the family the header chose is kept.
    header = draw(_bytes(2))
    data = draw(_bytes(2 * sum(counts)))
    specs = [spec if spec is not None else _DEFAULT for _, spec in fields]
    values, codes, start = [], [], 0
    for (shape, _), spec, count in zip(fields, specs, counts, strict=True):
        code = np.frombuffer(data[start : start + 2 * count], dtype=">u2").astype(np.int64)
        values.append(_table(spec)[code].reshape(shape))
        codes.append(code)
        start += 2 * count
    family = None if _plain() else family_of(
        header[0],
        kink=any(spec.kink for spec in specs),
        saturation=any(spec.saturation for spec in specs),
        square=any(_square(v) for v in values),
    )
    if family is not None and values:
        _structured(family, header[1], values, specs, codes)
    return values


# Sizes: a quarter of the input sets get every side 1, all sides equal (square), or every
# side at its largest; the others draw each side on its own.
_SIDES = st.integers(min_value=0, max_value=11)


def dimensions(draw: Any, count: int, *, max_side: int = 6, max_sides: tuple[int, ...] = ()) -> list[int]:
    """`count` sizes, each 1..its largest (`max_sides`, else `max_side`), with the corners.

    One time in twelve every side is 1, one in twelve all are equal (a square matrix), one in
    twelve every side is at its largest; otherwise each is drawn on its own.
    """
    tops = [_capped(top) for top in (max_sides or [max_side] * count)]
    if _plain():
        return [draw(sizes(max_side=top)) for top in tops]
    corner = draw(_SIDES) if count else 0
    if corner == 9:
        return [1] * count
    if corner == 10:
        side = draw(sizes(max_side=min(tops)))
        return [side] * count
    if corner == 11:
        return tops
    return [draw(sizes(max_side=top)) for top in tops]


def shaped(
    layout: Any, *, sides: int = 1, scalars: tuple[tuple[str, st.SearchStrategy[Any]], ...] = ()
) -> st.SearchStrategy[dict[str, Any]]:
    """Input sets of arrays: `sides` sizes (1..6, with the corners of `dimensions`) are drawn,
    `layout(*sides)` gives each array's name, shape and entries ({name: (shape, elements or
    None)}), and the arrays are drawn together (`arrays`); then each of `scalars` ((name,
    strategy) pairs) is drawn."""
    @st.composite
    def draw_inputs(draw: Any) -> dict[str, Any]:
        fields: dict[str, Field] = layout(*dimensions(draw, sides))
        inputs = dict(zip(fields, arrays(draw, *fields.values()), strict=True))
        for name, strategy in scalars:
            inputs[name] = draw(strategy)
        return inputs

    return draw_inputs()


def _small_ints(values: Any, top: int = 2) -> Any:
    """Values mapped to the integers -top..top, keeping their sign (the kink corner's inputs)."""
    return np.fmod(np.trunc(values), top + 1) + 0.0


def _exact_bias(terms: Any, z: float) -> tuple[float, float]:
    """b = z - sum(terms) with z = +-2^-k moved towards 2^-7 until every partial sum of the
    pre-activation is exact in float32 (|terms| * 2^k < 2^22); returns (b, z)."""
    total = float(np.sum(terms))
    magnitude = float(np.sum(np.abs(terms)))
    while abs(z) < 2.0**-7 and (magnitude + abs(total) + 1) / abs(z) >= _EXACT:
        z *= 2.0
    return z - total, z


@st.composite
def neuron(draw: Any, *, margin: float = MARGIN) -> dict[str, Any]:
    """(w, b, x) for act = max(0, w.x + b), with |w.x + b| >= margin (K11).

    The kink corner (one input set in four): w and x small integers and z = w.x + b a
    power of two 2^-19..2^-7 from 0, exactly, in float64 and float32.
    """
    n = side(draw)
    w, x, targets = arrays(draw, ((n,), None), ((n,), None), ((1,), elements(min_magnitude=margin)))
    if not _plain() and draw(_BYTE) < 64:
        w, x = _small_ints(w), _small_ints(x)
        b, _ = _exact_bias(w * x, draw(_NEAR))
        return {"w": w, "b": b, "x": x}
    z = float(targets[0])
    b = z - float(w @ x)
    assume(abs(float(w @ x) + b) >= margin / 2)  # rounding of the solve; almost never rejects
    return {"w": w, "b": b, "x": x}


_NEAR = st.sampled_from(NEAR_KINK)


@st.composite
def layer(draw: Any, *, margin: float = MARGIN) -> dict[str, Any]:
    """(W, b_vec, a_prev) with W (n_out, n_in) (K6) and every |z_j| >= margin.

    The kink corner (one input set in four): a_prev small integers, and some units (at
    least one) with a row of small integers and z_j 2^-19..2^-7 from 0, exactly.
    """
    n_out, n_in = dimensions(draw, 2)
    # Drawn before the arrays, so that it is kept when a size shrinks (their draw is then anew).
    corner = 255 if _plain() else draw(_BYTE)
    W, a_prev, z = arrays(
        draw, ((n_out, n_in), None), ((n_in,), None), ((n_out,), elements(min_magnitude=margin))
    )
    if corner < 64:
        a_prev = _small_ints(a_prev)
        W = W.copy()
        near = [j for j in range(n_out) if (corner >> (j % 6)) & 1] or [corner % n_out]
        z = z.copy()
        for j in near:
            W[j] = _small_ints(W[j])
        b_vec = z - W @ a_prev
        for j in near:
            b_vec[j], z[j] = _exact_bias(W[j] * a_prev, draw(_NEAR))
        far = [j for j in range(n_out) if j not in near]
        assume(bool(np.all(np.abs(W[far] @ a_prev + b_vec[far]) >= margin / 2)))
        return {"W": W, "b_vec": b_vec, "a_prev": a_prev}
    b_vec = z - W @ a_prev
    assume(bool(np.all(np.abs(W @ a_prev + b_vec) >= margin / 2)))
    return {"W": W, "b_vec": b_vec, "a_prev": a_prev}


def push_off_kink(w: Any, b: float, X: Any, margin: float, keep: tuple[int, ...] = ()) -> tuple[Any, float]:
    """Move rows of X (or b when w is tiny) so every |x_i . w + b| >= margin.

    The move is along the largest weight, so it is small: at most 2 * margin / 0.1.  The
    rows in `keep` (the kink corner's) are not moved; w is then never tiny.
    """
    X = X.copy()
    j = int(np.argmax(np.abs(w)))
    if abs(float(w[j])) >= 0.1:
        z = X @ w + b
        for i in np.flatnonzero(np.abs(z) < 2 * margin):
            if int(i) in keep:
                continue
            target = 2 * margin if z[i] >= 0 else -2 * margin
            X[i, j] += (target - z[i]) / w[j]
        return X, b
    reach = float(np.max(np.abs(X @ w))) if X.size else 0.0
    return X, math.copysign(abs(b) + reach + 2 * margin, b if b != 0 else 1.0)


_LR = floats(min_value=1e-4, max_value=0.1)
_LR_END = st.integers(min_value=0, max_value=7)


def learning_rate(draw: Any) -> float:
    """0 < lr <= 0.1: one time in eight exactly 0.1, the end of the range; else drawn."""
    if not _plain() and draw(_LR_END) == 7:
        return 0.1
    return float(draw(_LR))


_RESIDUALS = (1e-9, 0.0, 1e-6, 1e-3)


@st.composite
def regression(
    draw: Any, *, max_examples: int = 20, margin: float = MARGIN, with_lr: bool = False
) -> dict[str, Any]:
    """(w, b, X, y) for the MSE loss (K5), no pre-activation near the kink (K11).

    The kink corner (one input set in four): w small integers (not all 0), one row x_r of
    small integers with z_r = x_r . w + b 2^-19..2^-7 from 0, exactly; the other rows at
    least `margin` from it.  The fitted corner (one in eight): y is max(0, X w + b) but for
    a tiny residual (`if np.allclose(prediction, y)`; the gradient near its zero).
    """
    n, N = dimensions(draw, 2, max_sides=(6, max_examples))
    b = draw(floats())
    w, X, y = arrays(draw, ((n,), None), ((N, n), None), ((N,), None))
    corner = 255 if _plain() else draw(_BYTE)
    keep: tuple[int, ...] = ()
    if corner < 64:
        w = _small_ints(w)
        if not np.any(w):
            w = w.copy()
            w[corner % n] = 1.0
        r = corner % N
        X = X.copy()
        X[r] = _small_ints(X[r])
        b, _ = _exact_bias(X[r] * w, draw(_NEAR))
        keep = (r,)
    elif corner < 64 + 32:
        # a nearly fitted model (one input set in eight): w and X in -1..1 and |b| <= 3.5, so
        # that |z| <= 9.5, and y = max(0, z) plus a residual of 1e-9 (inside np.allclose's
        # tolerance), 0 (the gradient is 0), 1e-6 or 1e-3 times the drawn y
        w, X, b = _small_ints(w, 1), _small_ints(X, 1), 0.35 * b
    X, b = push_off_kink(w, b, X, margin, keep)
    z = X @ w + b
    if 64 <= corner < 64 + 32:
        y = np.maximum(z, 0.0) + _RESIDUALS[corner % len(_RESIDUALS)] * y
    far = np.ones(N, dtype=bool)
    far[list(keep)] = False
    assume(bool(np.all(np.abs(z[far]) >= margin)) and bool(np.all(np.abs(z) >= 1e-6)))
    inputs = {"w": w, "b": b, "X": X, "y": y}
    if with_lr:
        inputs["lr"] = learning_rate(draw)
    return inputs


@st.composite
def network(draw: Any, *, max_layers: int = 3, batch: int | None = None) -> dict[str, Any]:
    """Ws, bs of 1..max_layers sigmoid layers (weights in [-2, 2]), x in [-3, 3], y in [0, 1].

    With `batch`, X (B, n_0) and Y (B, n_L) with B in 1..batch instead of x and y.  The
    saturation corner (one input set in five): x (the first example) at +-3 and every weight
    and bias at +-2, signed so that each unit is driven as far into saturation as the
    ranges allow (|z| up to 38 in the first layer).
    """
    L = draw(_int_range(1, _capped(max_layers)))
    widths = dimensions(draw, L + 1)
    weight = elements(min_value=-2, max_value=2)
    xs = elements(min_value=-3, max_value=3)
    ys = elements(min_value=0, max_value=1)
    fields: list[Field] = [((widths[i + 1], widths[i]), weight) for i in range(L)]
    fields += [((widths[i + 1],), weight) for i in range(L)]
    if batch is None:
        fields += [((widths[0],), xs), ((widths[-1],), ys)]
    else:
        B = draw(_int_range(1, _capped(batch)))
        fields += [((B, widths[0]), xs), ((B, widths[-1]), ys)]
    values = arrays(draw, *fields)
    if not _plain() and draw(_BYTE) < 51:
        _saturate(values, L)
    inputs: dict[str, Any] = {"Ws": values[:L], "bs": values[L : 2 * L]}
    inputs.update(zip(("x", "y") if batch is None else ("X", "Y"), values[2 * L :], strict=True))
    return inputs


def _sign(values: Any) -> Any:
    return np.where(values < 0, -1.0, 1.0)


def _saturate(values: list[Any], L: int) -> None:
    """Drive every unit into saturation (in place): x = +-3, W and b = +-2, signs aligned."""
    x = values[2 * L]
    values[2 * L] = 3.0 * _sign(x)
    incoming = _sign(x if x.ndim == 1 else x[0])
    for layer_index in range(L):
        toward = _sign(values[L + layer_index])  # each unit's sign of saturation: its bias's
        values[layer_index] = 2.0 * np.outer(toward, incoming)
        values[L + layer_index] = 2.0 * toward
        incoming = np.ones(toward.shape)  # sigmoid outputs are positive


_COUNT_FAMILY = st.integers(min_value=0, max_value=17)


@cache
def _int_range(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=low, max_value=high)


@cache
def _sampled(values: tuple[int, ...]) -> st.SearchStrategy[int]:
    return st.sampled_from(values)


@st.composite
def counts(draw: Any, *, max_count: int = 10_000_000) -> dict[str, Any]:
    """(m, batch_size) with 1 <= batch_size <= m <= max_count, over half of them at the corners.

    Plain (8 in 18): m small (1..1000) or any, and batch_size a small divisor, any size up to
    m, or m itself.  Corners, one in 18 each: batch_size = m; batch_size = 1; remainder 1;
    remainder batch_size - 1; m much larger than batch_size (> 1000) with a remainder of
    1..3; m = 1 or m = max_count; a round batch size (a power of 2 or of 10) that leaves a
    remainder; m = max_count with any batch size; b above 10^6 with a remainder of 1..3 (m / b
    within 3e-6 of an integer); an exact multiple where m * (1/b) rounds up in float64.
    """
    family = draw(_int_range(0, 7) if _plain() else _COUNT_FAMILY)
    if family < 8:
        m = draw(_int_range(1, 1000) if family < 4 else _int_range(1, max_count))
        divisors = tuple(d for d in (1, 2, 3, 5, 8, 10, 120, m) if d <= m and m % d == 0)
        which = family % 3
        size = draw(_sampled(divisors)) if which == 0 else draw(_int_range(1, m)) if which == 1 else m
        return {"m": m, "batch_size": size}
    if family in (8, 9):
        m = draw(_int_range(1, max_count))
        return {"m": m, "batch_size": m if family == 8 else 1}
    if family in (10, 11):  # remainder 1, or remainder b - 1
        b = draw(_int_range(2, min(max_count // 2, 100_000)))
        q = draw(_int_range(1, (max_count - b) // b))
        return {"m": q * b + (1 if family == 10 else b - 1), "batch_size": b}
    if family == 12:  # m >> b, a tiny remainder: int(m / b + 0.999) is one short
        b = draw(_int_range(1001, max(1001, min(max_count // 4, 100_000))))
        q = draw(_int_range(max(1, (max_count - 3) // (4 * b)), max(1, (max_count - 3) // b)))
        return {"m": q * b + draw(_int_range(1, 3)), "batch_size": b}
    if family == 13:
        m = 1 if draw(st.booleans()) else max_count
        return {"m": m, "batch_size": 1 if m == 1 else draw(_int_range(1, m))}
    if family == 14:  # a round batch size that does not divide m
        rounds = tuple(v for v in (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 10, 100, 1000) if v < max_count)
        b = draw(_sampled(rounds))
        q = draw(_int_range(1, (max_count - b) // b))
        return {"m": q * b + draw(_int_range(1, b - 1)), "batch_size": b}
    if family == 15:
        return {"m": max_count, "batch_size": draw(_int_range(1, max_count))}
    if family == 16:  # b > 10^6 and a remainder of 1..3: m / b is within 3e-6 of an integer
        b = draw(_int_range(min(max_count, 1_000_001), max(min(max_count, 1_000_001), max_count - 3)))
        q = draw(_int_range(1, max(1, (max_count - 3) // b)))
        return {"m": min(max_count, q * b + draw(_int_range(1, 3))), "batch_size": b}
    # an exact multiple m = q b of any b, moved to a (b, q) near it where m * (1/b) rounds
    # above q in float64 if there is one: `ceil(m * (1 / b))` is then one too many
    b = draw(_int_range(1, min(max_count, 100_000)))
    q = draw(_int_range(1, max(1, max_count // b)))
    return dict(zip(("m", "batch_size"), _rounding_up(b, max_count) or (q * b, b), strict=True))


def _rounding_up(b: int, max_count: int) -> tuple[int, int] | None:
    """(m, b') with b <= b' < b + 64, m = q b' <= max_count and fl(m * fl(1/b')) > q, or None.

    q is taken just below a power of two, where the rounding of 1/b' shows most."""
    for size in range(b, b + 64):
        top = max_count // size
        for k in range(top.bit_length(), 0, -1):
            for q in (2**k - 1, 2**k - 3):
                if 1 <= q <= top and math.ceil(q * size * (1.0 / size)) != q:
                    return q * size, size
    return None
