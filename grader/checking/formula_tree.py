"""A formula answer as the worker sends it: a plain tree, checked again and built into sympy here.

The worker parses the student's formula by its whitelisted grammar (grader/sandbox/worker/grammar.py)
and sends the result as JSON (the grammar's `tree_of`): one object per node, nested lists for
a vector or a matrix.  That JSON comes from the student's process, so nothing in it is
trusted: `read_tree` re-checks every node (its kind, its exact keys, the names of variables
and functions, the operators, numbers finite), the size (nodes per entry, depth, entries,
nesting, a rectangular shape) and the rule on exponents of numbers, with the same bounds as
the grammar (a test holds the two together), and turns it into frozen records.  `expression`
then builds the sympy expression from the records by a walk over these tables: sympy's
parser (`sympify`, which runs `eval`) is never used, and no name outside the tables can
reach sympy.  sympy is imported only by the function that builds.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_ARITHMETIC: dict[str, Any] = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
__all__ = [
    "Binary",
    "Call",
    "Name",
    "Node",
    "Number",
    "TreeError",
    "Unary",
    "entries",
    "expression",
    "read_tree",
    "shape_of",
]

# The grammar's bounds and names (grader/sandbox/worker/grammar.py; tests/grader/test_formulas.py
# checks that they are the same).
CONSTANTS = ("E", "pi")
MAX_NODES = 400
MAX_DEPTH = 40
MAX_EXPONENT = 100
MAX_ENTRIES = 64
MAX_NESTING = 3
# An integer as written has at most this many digits: the grammar allows a finite float's range.
MAX_DIGITS = 310

_SYMPY: dict[str, Callable[[Any, Any], Any]] = {
    "sin": lambda sympy, a: sympy.sin(a),
    "cos": lambda sympy, a: sympy.cos(a),
    "tan": lambda sympy, a: sympy.tan(a),
    "cot": lambda sympy, a: sympy.cot(a),
    "sec": lambda sympy, a: sympy.sec(a),
    "csc": lambda sympy, a: sympy.csc(a),
    "asin": lambda sympy, a: sympy.asin(a),
    "acos": lambda sympy, a: sympy.acos(a),
    "atan": lambda sympy, a: sympy.atan(a),
    "arcsin": lambda sympy, a: sympy.asin(a),
    "arccos": lambda sympy, a: sympy.acos(a),
    "arctan": lambda sympy, a: sympy.atan(a),
    "sinh": lambda sympy, a: sympy.sinh(a),
    "cosh": lambda sympy, a: sympy.cosh(a),
    "tanh": lambda sympy, a: sympy.tanh(a),
    "exp": lambda sympy, a: sympy.exp(a),
    "log": lambda sympy, a: sympy.log(a),
    "ln": lambda sympy, a: sympy.log(a),
    "sqrt": lambda sympy, a: sympy.sqrt(a),
    "abs": lambda sympy, a: sympy.Abs(a),
    "sigmoid": lambda sympy, a: 1 / (1 + sympy.exp(-a)),
}
FUNCTIONS = tuple(_SYMPY)
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
assert set(_MATH) == set(_SYMPY)
UNARY = ("+", "-")
BINARY = ("+", "-", "*", "/", "**")


class TreeError(Exception):
    """The worker sent something that is not a formula of the grammar: it is refused."""


@dataclass(frozen=True, slots=True)
class Number:
    """A finite number as written: an int, or a float read exactly (0.1 is 1/10)."""

    value: int | float


@dataclass(frozen=True, slots=True)
class Name:
    """A variable of the exercise, E or pi."""

    name: str


@dataclass(frozen=True, slots=True)
class Unary:
    """+operand or -operand."""

    sign: str
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    """left OP right, OP one of + - * / **."""

    operator: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    """One of the grammar's functions applied to one argument."""

    function: str
    argument: Node


Node = Number | Name | Unary | Binary | Call


# -- reading the worker's JSON ---------------------------------------------------------------


class _Reader:
    """Reads one entry's tree, counting nodes; raises TreeError at the first thing out of bounds."""

    def __init__(self, variables: tuple[str, ...]) -> None:
        self.variables = variables
        self.nodes = 0

    def node(self, raw: Any, depth: int) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise TreeError(f"more than {MAX_NODES} nodes in one entry")
        if depth > MAX_DEPTH:
            raise TreeError(f"nested more than {MAX_DEPTH} deep")
        if type(raw) is not dict:
            raise TreeError(f"a node is a {type(raw).__name__}, not an object")
        keys = tuple(sorted(raw))
        if keys == ("number",):
            return self.number(raw["number"])
        if keys == ("name",):
            name = raw["name"]
            if type(name) is not str or name not in (*self.variables, *CONSTANTS):
                raise TreeError(f"the name {_shown(name)} is not a variable of the exercise, E or pi")
            return Name(name)
        if keys == ("operand", "unary"):
            if type(raw["unary"]) is not str or raw["unary"] not in UNARY:
                raise TreeError(f"the unary operator {_shown(raw['unary'])} is not of the grammar")
            return Unary(raw["unary"], self.node(raw["operand"], depth + 1))
        if keys == ("binary", "left", "right"):
            operator = raw["binary"]
            if type(operator) is not str or operator not in BINARY:
                raise TreeError(f"the operator {_shown(operator)} is not of the grammar")
            left = self.node(raw["left"], depth + 1)
            right = self.node(raw["right"], depth + 1)
            node = Binary(operator, left, right)
            if operator == "**":
                self.power(node)
            return node
        if keys == ("argument", "call"):
            function = raw["call"]
            if type(function) is not str or function not in FUNCTIONS:
                raise TreeError(f"the function {_shown(function)} is not of the grammar")
            return Call(function, self.node(raw["argument"], depth + 1))
        raise TreeError(f"a node with the keys {_shown(list(keys)[:6])} is not of the grammar")

    @staticmethod
    def number(value: Any) -> Number:
        if type(value) is int:
            if abs(value) >= 10**MAX_DIGITS:
                raise TreeError("a number is too large")
            return Number(value)
        if type(value) is float and math.isfinite(value):
            return Number(value)
        raise TreeError(f"{_shown(value)} is not a finite number")

    def power(self, node: Binary) -> None:
        """The grammar's rule: an exponent of numbers is a number within ±MAX_EXPONENT."""
        if _has_variables(node.right, self.variables):
            return
        if _has_power(node.right):
            raise TreeError("an exponent of numbers is itself a power")
        if not _has_variables(node.left, self.variables) and _has_power(node.left):
            raise TreeError("a power of a power of numbers")
        try:
            exponent = _value(node.right)
        except (ArithmeticError, ValueError):
            exponent = math.inf
        if not abs(exponent) <= MAX_EXPONENT:
            raise TreeError("an exponent of numbers is too large")


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, (str, int, float, list)) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return (node.argument,)
    return ()


def _walk(node: Node) -> list[Node]:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(_children(current))
    return found


def _has_variables(node: Node, variables: tuple[str, ...]) -> bool:
    return any(isinstance(n, Name) and n.name in variables for n in _walk(node))


def _has_power(node: Node) -> bool:
    return any(isinstance(n, Binary) and n.operator == "**" for n in _walk(node))


def _value(node: Node) -> float:
    """The value in floats of a tree without variables and without powers."""
    if isinstance(node, Number):
        return float(node.value)
    if isinstance(node, Name):
        return math.e if node.name == "E" else math.pi
    if isinstance(node, Unary):
        operand = _value(node.operand)
        return -operand if node.sign == "-" else operand
    if isinstance(node, Binary):
        if node.operator not in _ARITHMETIC:
            raise ValueError("a power")
        return float(_ARITHMETIC[node.operator](_value(node.left), _value(node.right)))
    return float(_MATH[node.function](_value(node.argument)))


def read_tree(raw: Any, variables: tuple[str, ...] | list[str]) -> Any:
    """The worker's tree checked and turned into records: a Node, or nested lists of Nodes.

    Raises TreeError for anything the grammar would not have produced.
    """
    names = tuple(variables)
    count = [0]

    def read(value: Any, nesting: int) -> Any:
        if type(value) is list:
            if nesting >= MAX_NESTING:
                raise TreeError(f"lists nested more than {MAX_NESTING} deep")
            if len(value) > MAX_ENTRIES:
                raise TreeError(f"more than {MAX_ENTRIES} entries")
            return [read(item, nesting + 1) for item in value]
        count[0] += 1
        if count[0] > MAX_ENTRIES:
            raise TreeError(f"more than {MAX_ENTRIES} entries")
        return _Reader(names).node(value, 0)

    tree = read(raw, 0)
    _rectangular(tree)
    return tree


def _rectangular(tree: Any) -> tuple[int, ...]:
    if not isinstance(tree, list):
        return ()
    shapes = {_rectangular(item) for item in tree}
    if len(shapes) > 1:
        raise TreeError("the entries of a list have different shapes")
    if not tree:
        raise TreeError("an empty list")
    return (len(tree), *shapes.pop())


def shape_of(tree: Any) -> tuple[int, ...]:
    """The shape of a tree read by `read_tree` (a single formula: ())."""
    return _rectangular(tree)


def entries(tree: Any) -> list[Node]:
    """The entries of a tree in row-major order."""
    if isinstance(tree, list):
        return [leaf for item in tree for leaf in entries(item)]
    return [tree]


# -- building sympy ----------------------------------------------------------------------------


def expression(node: Node, symbols: dict[str, Any]) -> Any:
    """The sympy expression of one entry, in `symbols` (name -> sympy Symbol); exact numbers."""
    import sympy

    def build(current: Node) -> Any:
        if isinstance(current, Number):
            value = current.value
            return sympy.Integer(value) if isinstance(value, int) else sympy.Rational(repr(value))
        if isinstance(current, Name):
            if current.name == "E":
                return sympy.E
            if current.name == "pi":
                return sympy.pi
            return symbols[current.name]
        if isinstance(current, Unary):
            operand = build(current.operand)
            return -operand if current.sign == "-" else operand
        if isinstance(current, Binary):
            left, right = build(current.left), build(current.right)
            if current.operator in _ARITHMETIC:
                return _ARITHMETIC[current.operator](left, right)
            return sympy.Pow(left, right)
        return _SYMPY[current.function](sympy, build(current.argument))

    return build(node)
