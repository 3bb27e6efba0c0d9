"""The words of a pack: named sizes, value domains, parameters and the primal's value.

Each is a frozen record validated where it is made, so that a malformed declaration is a
`PackError` naming the field and what is allowed, raised on the instructor's own line.
Nothing here imports numpy, sympy or Hypothesis.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from grader.errors import PackError

__all__ = [
    "MAGNITUDE",
    "Domain",
    "Param",
    "Size",
    "anything",
    "count",
    "custom",
    "interval",
    "matrix",
    "nonzero",
    "positive",
    "scalar",
    "size",
    "vector",
]

MAGNITUDE = 10.0  # K11: magnitudes up to about 10 unless stated otherwise
_MAX_SIDE = 8  # sympy derives one reference per combination of sizes: keep them few and small

Kind = Literal["scalar", "vector", "matrix", "count"]


def _identifier(field: str, name: object) -> str:
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        raise PackError(
            f"{field} must be a Python identifier such as 'x' or 'W' (no leading _), not {name!r}"
        )
    return name


def _number(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PackError(f"{field} must be a finite number, not {value!r}")
    return float(value)


def _integer(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PackError(f"{field} must be an integer from {low} to {high:,}, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Size:
    """A named size drawn from low..high; parameters that name the same Size share its value."""

    name: str
    low: int
    high: int

    def describe(self) -> str:
        return (
            f"{self.name} = {self.low}..{self.high}" if self.low != self.high else f"{self.name} = {self.low}"
        )


def size(name: str, low: int = 1, high: int = 6) -> Size:
    """A size shared by name: `n = size("n", 1, 6)` then `vector("x", n)`, `matrix("W", n, n)`."""
    name = _identifier("size(name)", name)
    low = _integer(f"size({name!r}) low", low, 1, _MAX_SIDE)
    high = _integer(f"size({name!r}) high", high, low, _MAX_SIDE)
    return Size(name, low, high)


@dataclass(frozen=True, slots=True)
class Domain:
    """Where values are drawn: low <= v <= high and |v| >= least (K11)."""

    low: float = -MAGNITUDE
    high: float = MAGNITUDE
    least: float = 0.0
    custom: Callable[[], Any] | None = None  # () -> a Hypothesis strategy of floats (scalars only)
    admits_custom: Callable[[float], bool] | None = None  # which values the custom strategy draws

    def describe(self) -> str:
        if self.least > 0 and self.low >= 0:
            return f"in [{self.least:g}, {self.high:g}]"
        if self.least > 0:
            return f"{self.least:g} <= |v| <= {self.high:g}"
        return f"in [{self.low:g}, {self.high:g}]"

    def admits(self, value: float) -> bool:
        return self.low <= value <= self.high and abs(value) >= self.least


def interval(low: float, high: float) -> Domain:
    """low <= v <= high."""
    low = _number("interval low", low)
    high = _number("interval high", high)
    if not low < high:
        raise PackError(f"interval({low:g}, {high:g}): low must be below high")
    return Domain(low, high)


def custom(strategy: Callable[[], Any], admits: Callable[[float], bool], low: float, high: float) -> Domain:
    """A scalar's odd domain: `strategy()` returns a Hypothesis strategy of floats in [low, high],
    `admits(v)` says which values it may draw (so that the ends and special values are drawn
    only where they lie in it).  For what ranges cannot say: |sin(x^3)| >= 0.1."""
    if not callable(strategy) or not callable(admits):
        raise PackError("custom(strategy, admits, low, high): strategy and admits must be functions")
    low = _number("custom low", low)
    high = _number("custom high", high)
    if not low < high:
        raise PackError(f"custom(..., {low:g}, {high:g}): low must be below high")
    return Domain(low, high, 0.0, strategy, admits)


def anything() -> Domain:
    """Any value of magnitude up to 10 (K11): the default domain."""
    return Domain()


def positive(least: float = 0.1, high: float = MAGNITUDE) -> Domain:
    """least <= v <= high, least > 0 (a logarithm's or a square root's argument, a divisor)."""
    least = _number("positive least", least)
    high = _number("positive high", high)
    if not 0 < least < high:
        raise PackError(f"positive({least:g}, {high:g}): need 0 < least < high")
    return Domain(least, high, 0.0)


def nonzero(least: float = 0.1, high: float = MAGNITUDE) -> Domain:
    """least <= |v| <= high, both signs (away from zero: a divisor, ln|x|)."""
    least = _number("nonzero least", least)
    high = _number("nonzero high", high)
    if not 0 < least < high:
        raise PackError(f"nonzero({least:g}, {high:g}): need 0 < least < high")
    return Domain(-high, high, least)


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of the student's function: its kind, its shape (sizes) and its domain."""

    name: str
    kind: Kind
    shape: tuple[Size, ...] = ()
    domain: Domain = Domain()

    @property
    def differentiable(self) -> bool:
        return self.kind != "count"

    def describe(self) -> str:
        """The line of a starter and of `grade list`: "W: shape (n, k), entries in [-5, 5]"."""
        if self.kind == "count":
            return f"{self.name}: an int, {int(self.domain.low)}..{int(self.domain.high)}"
        if self.kind == "scalar":
            return f"{self.name}: a float {self.domain.describe()}"
        dims = ", ".join(s.name for s in self.shape)
        sizes = "; ".join(dict.fromkeys(s.describe() for s in self.shape if not s.name.isdigit()))
        comma = "," if len(self.shape) == 1 else ""
        line = f"{self.name}: shape ({dims}{comma})" + (f", {sizes}" if sizes else "")
        # K11 says magnitudes up to 10 already: only a narrower domain is stated
        return line if self.domain == Domain() else f"{line}; entries {self.domain.describe()}"


def _domain(field: str, domain: object) -> Domain:
    if domain is None:
        return Domain()
    if not isinstance(domain, Domain):
        raise PackError(
            f"{field} must be a domain: anything(), interval(low, high), positive(least, high) "
            f"or nonzero(least, high), not {domain!r}"
        )
    if domain.custom is not None and not field.startswith("scalar("):
        raise PackError(f"{field}: a custom(...) domain is for scalar parameters only")
    return domain


def _size(field: str, value: object) -> Size:
    if isinstance(value, Size):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        _integer(field, value, 1, _MAX_SIDE)
        return Size(str(value), value, value)
    raise PackError(f"{field} must be a size(...) or an integer 1..{_MAX_SIDE}, not {value!r}")


def scalar(name: str, domain: Domain | None = None) -> Param:
    """A float parameter (or the primal's scalar value)."""
    name = _identifier("scalar(name)", name)
    return Param(name, "scalar", (), _domain(f"scalar({name!r}) domain", domain))


def vector(name: str, n: Size | int, domain: Domain | None = None) -> Param:
    """A float64 array of shape (n,) (K2): `n` a size(...) shared by name, or a fixed integer."""
    name = _identifier("vector(name)", name)
    return Param(
        name, "vector", (_size(f"vector({name!r}) size", n),), _domain(f"vector({name!r}) domain", domain)
    )


def matrix(name: str, rows: Size | int, columns: Size | int, domain: Domain | None = None) -> Param:
    """A float64 array of shape (rows, columns)."""
    name = _identifier("matrix(name)", name)
    shape = (_size(f"matrix({name!r}) rows", rows), _size(f"matrix({name!r}) columns", columns))
    return Param(name, "matrix", shape, _domain(f"matrix({name!r}) domain", domain))


def count(name: str, low: int = 1, high: int = 100) -> Param:
    """An integer parameter low..high (a count, a number of steps): not differentiated (K13)."""
    name = _identifier("count(name)", name)
    low = _integer(f"count({name!r}) low", low, 0, 10**9)
    high = _integer(f"count({name!r}) high", high, low, 10**9)
    return Param(name, "count", (), Domain(float(low), float(high)))
