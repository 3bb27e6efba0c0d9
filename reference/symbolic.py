"""Symbolic primals: a formula kept as text, and the derivative sympy derives from it.

A `Primal` is the source formula of an exercise in the sets `scalar` and `jacobians` (and of
the symbolic catalogue entries): one sympy source string for a scalar function, a tuple of
them for a vector function, and the names of its variables in order.  Its derivative follows
the conventions K1/K2 of the exercise contract:

| primal  | variables | derivative                         | shape  |
|---------|-----------|------------------------------------|--------|
| scalar  | 1         | d f / d x                          | ()     |
| scalar  | k         | the gradient [df/dx1, ...]          | (k,)   |
| vector  | 1         | [d f_i / d x]                       | (m,)   |
| vector  | k         | the Jacobian, numerator layout      | (m, k) |

The sources are our own, trusted text: they are parsed with `sympy.sympify`.  Student
formulas never come here (see `grader.checking.formula`).  sympy is imported inside the methods only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["CODE", "Primal", "write_code"]


@dataclass(frozen=True, slots=True)
class Primal:
    """A function given by sympy source text, with its variables in argument order."""

    source: str | tuple[str, ...]
    variables: tuple[str, ...]

    @property
    def is_vector(self) -> bool:
        """True when the primal has several components (a tuple of sources)."""
        return isinstance(self.source, tuple)

    def symbols(self) -> tuple[Any, ...]:
        """The sympy symbols of the variables (real-valued)."""
        import sympy

        return tuple(sympy.Symbol(name, real=True) for name in self.variables)

    def expression(self) -> Any:
        """The primal as a sympy expression, or a column Matrix for a vector primal."""
        return _expression(self.source, self.variables)

    def derivative(self) -> Any:
        """The derivative in the shape of the table above, as a sympy expression or Matrix."""
        return _derivative(self.source, self.variables)

    def function(self) -> Callable[..., Any]:
        """The primal as a numpy function of the variables (float64)."""
        return _lambdified(self.source, self.variables, derive=False)

    def derivative_function(self) -> Callable[..., Any]:
        """The derivative as a numpy function returning a float or an array of the table's shape."""
        return _lambdified(self.source, self.variables, derive=True)


def _symbols(variables: tuple[str, ...]) -> dict[str, Any]:
    import sympy

    return {name: sympy.Symbol(name, real=True) for name in variables}


@cache
def _expression(source: str | tuple[str, ...], variables: tuple[str, ...]) -> Any:
    import sympy

    names = _symbols(variables)
    if isinstance(source, tuple):
        return sympy.Matrix([sympy.sympify(part, locals=names) for part in source])
    return sympy.sympify(source, locals=names)


@cache
def _derivative(source: str | tuple[str, ...], variables: tuple[str, ...]) -> Any:
    import sympy

    names = _symbols(variables)
    xs = [names[v] for v in variables]
    expr = _expression(source, variables)
    if isinstance(source, tuple):
        jac = expr.jacobian(xs)
        return jac[:, 0] if len(xs) == 1 else jac
    if len(xs) == 1:
        return sympy.diff(expr, xs[0])
    return sympy.Matrix([[sympy.diff(expr, x) for x in xs]])


CODE = Path(__file__).with_name("symbolic_code.json")


def _key(source: str | tuple[str, ...], variables: tuple[str, ...], derive: bool) -> str:
    return json.dumps([source, list(variables), derive])


def _sympy_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sympy")
    except PackageNotFoundError:
        return ""


@cache
def _shipped() -> dict[str, Any]:
    """The derived code shipped for the built-in primals, when built with this sympy; else {}."""
    try:
        data = json.loads(CODE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("sympy") != _sympy_version():
        return {}
    functions = data.get("functions")
    return functions if isinstance(functions, dict) else {}


def _code(target: Any) -> dict[str, Any]:
    """The Python source of each entry of `target` (sympy's own printer for lambdify's math
    module, names qualified), with the shape of a matrix."""
    import sympy
    from sympy.printing.pycode import PythonCodePrinter

    printer = PythonCodePrinter({"fully_qualified_modules": True})
    if isinstance(target, sympy.MatrixBase):
        return {"entries": [printer.doprint(e) for e in target], "shape": list(target.shape)}
    return {"entries": [printer.doprint(target)], "shape": None}


def write_code(primals: Iterable[Primal], path: Path = CODE) -> int:
    """Write the derived code of `primals` (their functions and derivatives) to `path`, so
    that an installed matgrade evaluates them without importing sympy; returns how many."""
    functions: dict[str, Any] = {}
    for primal in primals:
        for derive in (False, True):
            target = _target(primal.source, primal.variables, derive)
            functions[_key(primal.source, primal.variables, derive)] = _code(target)
    body = {"sympy": _sympy_version(), "functions": dict(sorted(functions.items()))}
    path.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    _shipped.cache_clear()
    _lambdified.cache_clear()
    return len(functions)


def _target(source: str | tuple[str, ...], variables: tuple[str, ...], derive: bool) -> Any:
    return _derivative(source, variables) if derive else _expression(source, variables)


def _function(entries: list[Callable[..., Any]], shape: Any) -> Callable[..., Any]:
    """The entries' functions of float arguments as one: a float when `shape` is None, else a
    float64 array of the table's shape (a flat vector for a single row or column)."""
    import numpy as np

    if shape is None:
        scalar = entries[0]

        def scalar_fn(*args: float) -> float:
            return float(scalar(*args))

        return scalar_fn
    flat_vector = shape[1] == 1 or shape[0] == 1

    def matrix_fn(*args: float) -> Any:
        values = np.array([float(f(*args)) for f in entries], dtype=np.float64)
        return values if flat_vector else values.reshape(shape)

    return matrix_fn


def _from_code(code: Mapping[str, Any], variables: tuple[str, ...]) -> Callable[..., Any]:
    """The shipped code of `_code` as a function, evaluated with the math module."""
    import math

    args = ", ".join(variables)
    entries = [eval(f"lambda {args}: {text}", {"math": math}) for text in code["entries"]]
    return _function(entries, None if code["shape"] is None else tuple(code["shape"]))


@cache
def _lambdified(
    source: str | tuple[str, ...], variables: tuple[str, ...], *, derive: bool
) -> Callable[..., Any]:
    shipped = _shipped().get(_key(source, variables, derive))
    if shipped is not None:
        return _from_code(shipped, variables)
    return _sympy_lambdified(source, variables, derive=derive)


def _sympy_lambdified(
    source: str | tuple[str, ...], variables: tuple[str, ...], *, derive: bool
) -> Callable[..., Any]:
    """The primal or its derivative as sympy's lambdify makes it (modules="math")."""
    import sympy

    names = _symbols(variables)
    xs = [names[v] for v in variables]
    target = _target(source, variables, derive)
    # The arguments are floats, so the math module serves: lambdify with "numpy" runs
    # `from numpy import *`, which imports numpy's lazy submodules (about 0.1 s per process).
    if isinstance(target, sympy.MatrixBase):
        return _function([sympy.lambdify(xs, entry, modules="math") for entry in target], target.shape)
    return _function([sympy.lambdify(xs, target, modules="math")], None)
