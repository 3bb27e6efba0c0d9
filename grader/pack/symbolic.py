"""A primal written in sympy, component by component: its derivatives for each combination of sizes.

The instructor's function receives one sympy value per parameter (a real Symbol for a scalar,
a column `Matrix` of Symbols for a vector, a `Matrix` for a matrix) and returns a scalar
expression or a vector (a list or a column Matrix).  For each combination of sizes met, once,
sympy differentiates every component with respect to every entry of every parameter differentiated, and
the result is lambdified (the math module, common subexpressions shared) into one function of
the flat entries; the answers are then reshaped to the K1/K2 layout: value shape + parameter shape.

A ReLU's derivative is sympy's Heaviside(z); it is evaluated with H(0) = d, d a last argument,
so that the K3 check can ask for the reference with any subgradient at the kink.  The pack
file is trusted (the instructor's), and so is the code sympy prints from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grader.errors import PackError
from grader.pack.declare import Param

__all__ = ["Derived", "SympyPrimal"]

Shapes = tuple[tuple[int, ...], ...]


def _heaviside(z: float, at_zero: float) -> float:
    return 1.0 if z > 0 else (at_zero if z == 0 else 0.0)


@dataclass(frozen=True, slots=True)
class Derived:
    """The primal and its derivatives at one combination of sizes, as functions of flat floats."""

    value: Callable[..., Any]  # (*flat) -> list of floats, the value's entries
    jacobian: Callable[..., Any]  # (*flat, d) -> list of floats: d value_i / d entry_j, row by row
    value_shape: tuple[int, ...]
    columns: tuple[int, ...]  # entries of each differentiated parameter, in order
    kinked: bool  # the derivative contains Heaviside: it has a kink


def _symbols(param: Param, shape: tuple[int, ...]) -> tuple[Any, list[Any]]:
    import sympy

    if param.kind in ("scalar", "count"):
        symbol = sympy.Symbol(param.name, real=True)
        return symbol, [symbol]
    if param.kind == "vector":
        entries = [sympy.Symbol(f"{param.name}_{i}", real=True) for i in range(shape[0])]
        return sympy.Matrix(entries), entries
    rows, columns = shape
    entries = [sympy.Symbol(f"{param.name}_{i}_{j}", real=True) for i in range(rows) for j in range(columns)]
    return sympy.Matrix(rows, columns, entries), entries


def _components(result: Any, where: str, value: Param, n: int | None) -> list[Any]:
    """The value's components as sympy expressions, checked against the declared value."""
    import sympy

    if isinstance(result, sympy.MatrixBase):
        if min(result.shape) > 1:
            raise PackError(
                f"{where}: the sympy primal returned a {result.shape[0]}x{result.shape[1]} matrix; "
                "return a scalar expression or a vector (a list, or a column Matrix)"
            )
        parts = list(result)
    elif isinstance(result, (list, tuple)):
        parts = list(result)
    else:
        parts = [result]
    try:
        exprs = [sympy.sympify(p) for p in parts]
    except (sympy.SympifyError, TypeError) as exc:
        raise PackError(f"{where}: the sympy primal returned something sympy cannot read: {exc}") from None
    vector_result = isinstance(result, (list, tuple, sympy.MatrixBase))
    if value.kind == "scalar" and vector_result:
        raise PackError(
            f"{where}: the sympy primal returned a vector of {len(exprs)} but `value` is a scalar; "
            "declare value=vector(name, size)"
        )
    if value.kind == "vector" and (not vector_result or len(exprs) != n):
        raise PackError(
            f"{where}: the sympy primal returned {len(exprs) if vector_result else 'a scalar'} "
            f"component(s) but `value` is a vector of size {n}"
        )
    return exprs


class SympyPrimal:
    """An instructor's sympy primal, derived and lambdified once per combination of sizes."""

    def __init__(
        self,
        function: Callable[..., Any],
        params: Sequence[Param],
        value: Param,
        wrt: Sequence[str],
        where: str,
    ) -> None:
        self.function = function
        self.params = tuple(params)
        self.value = value
        self.wrt = tuple(wrt)
        self.where = where
        self._derived: dict[Shapes, Derived] = {}

    def at(self, shapes: Shapes, value_size: int | None) -> Derived:
        """The derivation at these parameter shapes (cached)."""
        found = self._derived.get(shapes)
        if found is None:
            found = self._derive(shapes, value_size)
            self._derived[shapes] = found
        return found

    def _derive(self, shapes: Shapes, value_size: int | None) -> Derived:
        import sympy

        values, flat = [], []
        by_name: dict[str, list[Any]] = {}
        for param, shape in zip(self.params, shapes, strict=True):
            made, entries = _symbols(param, shape)
            values.append(made)
            flat.extend(entries)
            by_name[param.name] = entries
        try:
            result = self.function(*values)
        except PackError:
            raise
        except Exception as exc:  # the instructor's code: any failure is reported, with where
            raise PackError(
                f"{self.where}: the sympy primal failed on symbols of sizes {list(shapes)}: "
                f"{type(exc).__name__}: {exc}"
            ) from None
        exprs = _components(result, self.where, self.value, value_size)
        columns = [by_name[name] for name in self.wrt]
        entries = [sympy.diff(e, v) for e in exprs for group in columns for v in group]
        at_zero = sympy.Symbol("_h0", real=True)
        kinked = any(e.has(sympy.Heaviside) for e in entries)
        entries = [e.replace(sympy.Heaviside, lambda z, *_: sympy.Heaviside(z, at_zero)) for e in entries]
        modules: list[Any] = [{"Heaviside": _heaviside}, "math"]
        value = sympy.lambdify(flat, exprs, modules=modules, cse=True)
        jacobian = sympy.lambdify([*flat, at_zero], entries, modules=modules, cse=True)
        value_shape = () if self.value.kind == "scalar" else (len(exprs),)
        return Derived(value, jacobian, value_shape, tuple(len(c) for c in columns), kinked)
