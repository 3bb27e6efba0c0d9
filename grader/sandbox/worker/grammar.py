"""Formula answers: a small whitelisted grammar, read in the worker and never run as Python.

Like `main.py`, this file is loaded by path into the worker (the untrusted process) and
imports nothing from matgrade; the grader's tests import it too (and check that the grader's
reading of the tree, grader/checking/formula_tree.py, keeps the same bounds and names).  A
formula is a string (or a sympy expression, read through `str()`), or nested lists of them
with plain numbers for constant entries.  Each string is parsed with `ast.parse(mode="eval")`
(`^` read as `**`) and its tree is whitelisted:

    numbers; the exercise's variables; E and pi; + - * / ** ; unary + - ;
    sin cos tan cot sec csc asin acos atan (or arcsin arccos arctan) sinh cosh tanh
    exp log ln sqrt abs sigmoid applied to one positional argument.

Nothing else is allowed (attributes, subscripts, lambdas, strings, keywords, comparisons,
...), and the size is bounded: the length of the text, the number of nodes, the depth, the
number of entries, and every exponent that holds no variable (at most 100 in absolute value,
and never itself a power: no `9**9**9**9`).  A whitelisted tree is then compiled by walking
it: into numpy operations to evaluate it (`Formula.__call__`), and into a tree of plain JSON
data (`Formula.tree`, `tree_of`) that the worker sends to the grader, which checks it again
and builds sympy from it to compare with the reference (grader/checking/formula_tree.py).  The
worker never sees the reference; sympy's own parser (which runs `eval`) is never used.

The tree, one JSON object per node, with exactly these keys:

    {"number": int | float}                        a finite number as written
    {"name": str}                                  a variable, E or pi
    {"unary": "+" | "-", "operand": NODE}
    {"binary": "+" | "-" | "*" | "/" | "**", "left": NODE, "right": NODE}
    {"call": FUNCTION, "argument": NODE}

and a vector or matrix answer is nested lists of nodes.
"""

from __future__ import annotations

import ast
import itertools
import math
import numbers
import operator
import re
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Formula", "FormulaError", "compile_formula", "nested_shape", "texts", "tree_of"]

CONSTANTS = ("E", "pi")
MAX_SOURCE = 1000  # characters per entry
MAX_NODES = 400  # syntax-tree nodes per entry
MAX_DEPTH = 40  # nesting of the syntax tree
MAX_EXPONENT = 100  # |exponent| when the exponent holds no variable
MAX_ENTRIES = 64  # entries in a vector or matrix
MAX_NESTING = 3  # lists of lists of lists

_BINARY: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", operator.truediv),
    ast.Pow: ("**", operator.pow),
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_OTHER_OPERATORS = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Invert: "~",
    ast.Not: "not",
}
# Each function of the grammar, two ways: in floats (exponents of numbers) and in numpy (the
# value).  Nothing outside these tables can be called.  The grader builds sympy from the plain
# tree (`Formula.tree`) with its own table (grader/checking/formula_tree.py).
_MATH: dict[str, Callable[[float], float]] = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "cot": lambda t: 1 / math.tan(t),
    "sec": lambda t: 1 / math.cos(t),
    "csc": lambda t: 1 / math.sin(t),
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "arcsin": math.asin,
    "arccos": math.acos,
    "arctan": math.atan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "exp": math.exp,
    "log": math.log,
    "ln": math.log,
    "sqrt": math.sqrt,
    "abs": abs,
    "sigmoid": lambda t: 1 / (1 + math.exp(-t)),
}
_NUMPY: dict[str, Callable[[Any, Any], Any]] = {
    "sin": lambda np, a: np.sin(a),
    "cos": lambda np, a: np.cos(a),
    "tan": lambda np, a: np.tan(a),
    "cot": lambda np, a: 1 / np.tan(a),
    "sec": lambda np, a: 1 / np.cos(a),
    "csc": lambda np, a: 1 / np.sin(a),
    "asin": lambda np, a: np.arcsin(a),
    "acos": lambda np, a: np.arccos(a),
    "atan": lambda np, a: np.arctan(a),
    "arcsin": lambda np, a: np.arcsin(a),
    "arccos": lambda np, a: np.arccos(a),
    "arctan": lambda np, a: np.arctan(a),
    "sinh": lambda np, a: np.sinh(a),
    "cosh": lambda np, a: np.cosh(a),
    "tanh": lambda np, a: np.tanh(a),
    "exp": lambda np, a: np.exp(a),
    "log": lambda np, a: np.log(a),
    "ln": lambda np, a: np.log(a),
    "sqrt": lambda np, a: np.sqrt(a),
    "abs": lambda np, a: np.abs(a),
    "sigmoid": lambda np, a: 1 / (1 + np.exp(-a)),
}
FUNCTIONS = tuple(_MATH)
assert set(_NUMPY) == set(FUNCTIONS)
_IMPLICIT = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?)\s*((?![eE][+-]?\d)[A-Za-z_]\w*|\()")
_JUXTAPOSED = re.compile(r"(\))\s*([A-Za-z_]\w*|\(|\d)|\b([A-Za-z_]\w*)\s+([A-Za-z_]\w*|\d)")


class FormulaError(Exception):
    """The formula is refused; the message says what is not allowed and what to write."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _allowed(variables: Sequence[str]) -> str:
    names = " and ".join(variables) if len(variables) <= 2 else ", ".join(variables)
    return f"use only {names}, numbers, + - * / ** (or ^), parentheses, {' '.join(FUNCTIONS)}, E and pi"


def _snippet(node: ast.AST, limit: int = 40) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # an unparsable fragment: say what kind of thing it is
        return type(node).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- the value: strings, numbers, sympy expressions, nested lists ---------------------------


def texts(value: Any, depth: int = 0, count: list[int] | None = None) -> Any:
    """The formula's text: a string, or nested lists of strings, read from the student's value."""
    count = [0] if count is None else count
    if isinstance(value, bool):
        raise FormulaError(f"{value} is not a formula: write a number or an expression in quotes")
    if isinstance(value, str):
        count[0] += 1
        _bounded_entries(count)
        return "".join((value,))  # a plain str, whatever subclass the student made
    if isinstance(value, numbers.Real) and not type(value).__module__.startswith("sympy"):
        count[0] += 1
        _bounded_entries(count)
        try:
            number = float(value)
        except (OverflowError, ValueError, TypeError):
            raise FormulaError("a number in the formula is too large") from None
        if not math.isfinite(number):
            raise FormulaError(f"{number} is not allowed in a formula: numbers must be finite")
        return repr(int(value)) if isinstance(value, int) else repr(number)
    if type(value).__module__.startswith("sympy"):
        tolist = getattr(value, "tolist", None)
        if callable(tolist):  # a Matrix or an N-dim array: its rows
            return texts(tolist(), depth, count)
        count[0] += 1
        _bounded_entries(count)
        try:
            text = str(value)
        except Exception as exc:
            raise FormulaError(
                f"the sympy expression cannot be read as text ({type(exc).__name__})"
            ) from None
        if not isinstance(text, str):
            raise FormulaError("the sympy expression cannot be read as text")
        return "".join((text,))
    if isinstance(value, (list, tuple)):
        if depth >= MAX_NESTING:
            raise FormulaError(
                f"lists are nested more than {MAX_NESTING} deep; the answer is a matrix at most"
            )
        items = list(itertools.islice(iter(value), MAX_ENTRIES + 1))
        if len(items) > MAX_ENTRIES:
            raise FormulaError(f"the answer has more than {MAX_ENTRIES} entries")
        return [texts(item, depth + 1, count) for item in items]
    raise FormulaError(
        f'a {type(value).__name__} is not a formula: write a string such as "2/x", '
        "a sympy expression, or a list of them"
    )


def _bounded_entries(count: list[int]) -> None:
    if count[0] > MAX_ENTRIES:
        raise FormulaError(f"the answer has more than {MAX_ENTRIES} entries")


def _shape(text: Any) -> tuple[int, ...]:
    if isinstance(text, str):
        return ()
    shapes = {_shape(item) for item in text}
    if len(shapes) > 1:
        found = " and ".join(str(list(s)) if s else "a single formula" for s in sorted(shapes))
        raise FormulaError(f"the entries of a list must all have the same shape; found {found}")
    inner = shapes.pop() if shapes else ()
    return (len(text), *inner)


# -- parsing and the whitelist --------------------------------------------------------------


def _syntax_message(text: str, exc: SyntaxError) -> str:
    for pattern in (_IMPLICIT, _JUXTAPOSED):
        match = pattern.search(text)
        if match is not None:
            left, right = [g for g in match.groups() if g is not None][:2]
            if left in FUNCTIONS:
                return f"cannot read {text[:60]!r}: a function needs parentheses: write {left}({right})"
            return f"cannot read {text[:60]!r}: a product needs `*`: write {left}*{right}"
    if "too many nested" in str(exc.msg) or "too complex" in str(exc.msg):
        return f"the formula is nested too deeply (at most {MAX_DEPTH} levels)"
    where = f" at character {exc.offset}" if exc.offset else ""
    return f"cannot read {text[:60]!r}{where}: {exc.msg}"


class _Checker:
    """Walks a parsed formula and refuses everything outside the grammar."""

    def __init__(self, variables: Sequence[str]) -> None:
        self.variables = tuple(variables)
        self.nodes = 0

    def refuse(self, what: str) -> FormulaError:
        return FormulaError(f"{what} is not allowed in a formula: {_allowed(self.variables)}")

    def check(self, node: ast.AST, depth: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"the formula is too long (more than {MAX_NODES} parts); simplify it")
        if depth > MAX_DEPTH:
            raise FormulaError(f"the formula is nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(node, ast.Constant):
            self._constant(node)
        elif isinstance(node, ast.Name):
            self._name(node)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise self.refuse(f"the operator `{_OTHER_OPERATORS.get(type(node.op), '?')}`")
            self.check(node.left, depth + 1)
            self.check(node.right, depth + 1)
            if isinstance(node.op, ast.Pow):
                self._power(node)
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                raise self.refuse(f"the operator `{_OTHER_OPERATORS.get(type(node.op), '?')}`")
            self.check(node.operand, depth + 1)
        elif isinstance(node, ast.Call):
            self._call(node, depth)
        else:
            if isinstance(node, (ast.Attribute, ast.Subscript)):
                # `__import__('os').system`: name the innermost thing that is not allowed
                self.check(node.value, depth + 1)
            raise self.refuse(self._kind(node))

    def _kind(self, node: ast.AST) -> str:
        snippet = _snippet(node)
        kinds: list[tuple[type | tuple[type, ...], str]] = [
            (ast.Attribute, "attribute access"),
            (ast.Subscript, "indexing"),
            (ast.Lambda, "a lambda"),
            ((ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp), "a comprehension"),
            ((ast.Compare, ast.BoolOp), "a comparison or logic"),
            (ast.IfExp, "a conditional expression"),
            ((ast.List, ast.Tuple, ast.Set, ast.Dict), "a collection inside a formula"),
            (ast.Starred, "unpacking"),
            ((ast.NamedExpr,), "an assignment"),
            ((ast.JoinedStr, ast.FormattedValue), "text"),
            ((ast.Await, ast.Yield, ast.YieldFrom), "this"),
        ]
        for types, label in kinds:
            if isinstance(node, types):
                return f"`{snippet}` ({label})"
        return f"`{snippet}`"

    def _constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, str):
                raise self.refuse(f"text ({_snippet(node)})")
            raise self.refuse(f"`{_snippet(node)}`")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise FormulaError("a number in the formula is too large to be a finite float")

    def _name(self, node: ast.Name) -> None:
        name = node.id
        if name in self.variables or name in CONSTANTS:
            return
        if name in FUNCTIONS:
            raise FormulaError(f"`{name}` is a function: apply it to an argument, as in {name}(x)")
        if name == "e":
            raise FormulaError(
                f"`e` is not allowed in a formula: write E or exp(1) for Euler's number "
                f"({_allowed(self.variables)})"
            )
        raise self.refuse(f"`{name}`")

    def _call(self, node: ast.Call, depth: int) -> None:
        func = node.func
        if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
            if isinstance(func, ast.Name) and func.id in (*self.variables, *CONSTANTS):
                raise FormulaError(
                    f"`{_snippet(node)}`: {func.id} is not a function; for a product write {func.id}*(...)"
                )
            if isinstance(func, (ast.Constant, ast.BinOp, ast.UnaryOp, ast.Call)):
                left = _snippet(func, 20)
                left = left if isinstance(func, (ast.Constant, ast.Call)) else f"({left})"
                raise FormulaError(f"`{_snippet(node)}`: a product needs `*`: write {left}*(...)")
            if isinstance(func, ast.Name):
                raise self.refuse(f"`{func.id}`")
            self.check(func, depth + 1)
            raise self.refuse(self._kind(func))
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.refuse(f"`{_snippet(node)}` (keyword or unpacked arguments)")
        if len(node.args) != 1:
            raise FormulaError(
                f"{func.id} takes one argument: write {func.id}(...) with one expression inside"
            )
        self.check(node.args[0], depth + 1)

    def _power(self, node: ast.BinOp) -> None:
        if _has_variables(node.right, self.variables):
            return
        if _has_power(node.right):
            raise FormulaError(
                f"`{_snippet(node)}`: an exponent of numbers that is itself a power (such as "
                "9**9**9) is not allowed; write the exponent as a number"
            )
        if not _has_variables(node.left, self.variables) and _has_power(node.left):
            raise FormulaError(
                f"`{_snippet(node)}`: a power of a power of numbers is not allowed; write it as one power"
            )
        try:
            exponent = _number_value(node.right)
        except (ArithmeticError, ValueError):
            exponent = math.inf
        if not abs(exponent) <= MAX_EXPONENT:
            raise FormulaError(
                f"`{_snippet(node)}`: the exponent is too large; an exponent of numbers must lie "
                f"between -{MAX_EXPONENT} and {MAX_EXPONENT}"
            )


def _has_variables(node: ast.AST, variables: Sequence[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in variables for n in ast.walk(node))


def _has_power(node: ast.AST) -> bool:
    return any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(node))


def _literal(node: ast.Constant) -> float:
    """A whitelisted number as a float (the checker has refused every other constant)."""
    value = node.value
    assert isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value)


def _number_value(node: ast.AST) -> float:
    """The value of a whitelisted tree without variables and without powers, in floats."""
    if isinstance(node, ast.Constant):
        return _literal(node)
    if isinstance(node, ast.Name):
        return math.e if node.id == "E" else math.pi
    if isinstance(node, ast.UnaryOp):
        return float(_UNARY[type(node.op)](_number_value(node.operand)))
    if isinstance(node, ast.BinOp):
        return float(_BINARY[type(node.op)][1](_number_value(node.left), _number_value(node.right)))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return float(_MATH[node.func.id](_number_value(node.args[0])))
    raise ValueError("not a number")


def parse(text: str, variables: Sequence[str]) -> ast.expr:
    """The whitelisted syntax tree of one formula; FormulaError when it is refused."""
    if len(text) > MAX_SOURCE:
        raise FormulaError(f"the formula is too long ({len(text)} characters; at most {MAX_SOURCE})")
    source = text.replace("^", "**").strip()
    if not source:
        raise FormulaError("the formula is empty")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(_syntax_message(text, exc)) from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError(f"the formula is nested too deeply (at most {MAX_DEPTH} levels)") from None
    _Checker(variables).check(tree.body, 0)
    return tree.body


# -- compiling a whitelisted tree -----------------------------------------------------------


def _numeric(node: ast.AST, np: Any) -> Callable[[dict[str, Any]], Any]:
    """A numpy evaluator of a whitelisted tree: env (name -> float64) -> float64."""
    if isinstance(node, ast.Constant):
        constant = np.float64(_literal(node))
        return lambda env: constant
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            constant = np.float64(math.e if node.id == "E" else math.pi)
            return lambda env: constant
        name = node.id
        return lambda env: env[name]
    if isinstance(node, ast.UnaryOp):
        unary, operand = _UNARY[type(node.op)], _numeric(node.operand, np)
        return lambda env: unary(operand(env))
    if isinstance(node, ast.BinOp):
        binary = _BINARY[type(node.op)][1]
        left, right = _numeric(node.left, np), _numeric(node.right, np)
        return lambda env: binary(left(env), right(env))
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    function, argument = _NUMPY[node.func.id], _numeric(node.args[0], np)
    return lambda env: function(np, argument(env))


_UNARY_SIGN: dict[type, str] = {ast.UAdd: "+", ast.USub: "-"}


def tree_of(node: ast.AST) -> dict[str, Any]:
    """The plain JSON tree of a whitelisted syntax tree (see the module docstring)."""
    if isinstance(node, ast.Constant):
        value = node.value
        return {"number": int(value) if isinstance(value, int) else _literal(node)}
    if isinstance(node, ast.Name):
        return {"name": node.id}
    if isinstance(node, ast.UnaryOp):
        return {"unary": _UNARY_SIGN[type(node.op)], "operand": tree_of(node.operand)}
    if isinstance(node, ast.BinOp):
        sign = _BINARY[type(node.op)][0]
        return {"binary": sign, "left": tree_of(node.left), "right": tree_of(node.right)}
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    return {"call": node.func.id, "argument": tree_of(node.args[0])}


def nested_shape(value: Any) -> tuple[int, ...]:
    """The shape of nested lists (a single formula: ())."""
    if isinstance(value, list):
        return (len(value), *(nested_shape(value[0]) if value else ()))
    return ()


class Formula:
    """A whitelisted formula answer: call it like the student's function would be called."""

    def __init__(self, trees: Any, variables: Sequence[str], np: Any) -> None:
        self.trees = trees
        self.variables = tuple(variables)
        self.np = np
        self.evaluators = _map(trees, lambda tree: _numeric(tree, np))

    def __call__(self, *args: Any) -> Any:
        np = self.np
        if len(args) != len(self.variables):
            raise TypeError(f"the formula takes {len(self.variables)} arguments, got {len(args)}")
        env = {name: np.float64(value) for name, value in zip(self.variables, args, strict=True)}
        with np.errstate(all="ignore"):
            values = _map(self.evaluators, lambda evaluate: np.float64(evaluate(env)))
        if isinstance(values, list):
            return np.array(values, dtype=np.float64)
        return values

    def tree(self) -> Any:
        """The formula as plain JSON data: a node, or nested lists of nodes (`tree_of`)."""
        return _map(self.trees, tree_of)


def _map(value: Any, function: Callable[[Any], Any]) -> Any:
    if isinstance(value, list):
        return [_map(item, function) for item in value]
    return function(value)


def _where(index: tuple[int, ...]) -> str:
    return "".join(f"[{i}]" for i in index)


def compile_formula(value: Any, variables: Sequence[str], np: Any) -> Formula:
    """Read, whitelist and compile the student's value; FormulaError when it is refused."""
    text = texts(value)
    _shape(text)

    def trees(item: Any, index: tuple[int, ...]) -> Any:
        if isinstance(item, list):
            return [trees(sub, (*index, i)) for i, sub in enumerate(item)]
        try:
            return parse(item, variables)
        except FormulaError as exc:
            if not index:
                raise
            raise FormulaError(f"entry {_where(index)} ({item[:40]!r}): {exc.message}") from None

    return Formula(trees(text, ()), variables, np)
