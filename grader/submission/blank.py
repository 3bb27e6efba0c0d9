"""Whether a submission's source defines nothing yet: empty, or only stubs.  Read, never run.

`blank(source)` is "empty" for source with no statement but imports, docstrings, `pass` and
`...` (a 0-byte file, blank lines, comments, a notebook without code), "stubs" when it adds
only functions whose body raises NotImplementedError (a `grade start` file graded as it is),
and None otherwise, a syntax error included: the worker reports that.
"""

from __future__ import annotations

import ast
from typing import Literal

__all__ = ["Blank", "blank"]

Blank = Literal["empty", "stubs"]


def blank(source: str) -> Blank | None:
    """"empty", "stubs" or None (the source defines or runs something); see the module."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    stubs = 0
    for node in tree.body:
        if _inert(node) or isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_stub(node):
            stubs += 1
            continue
        return None
    return "stubs" if stubs else "empty"


def _inert(node: ast.stmt) -> bool:
    """`pass`, or an expression that is a constant: a docstring, `...`."""
    return isinstance(node, ast.Pass) or (
        isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    )


def _is_stub(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function whose body is `raise NotImplementedError` (or `(...)`), after any docstring."""
    body = [s for s in node.body if not _inert(s)]
    if len(body) != 1 or not isinstance(body[0], ast.Raise):
        return False
    raised = body[0].exc
    if isinstance(raised, ast.Call):
        raised = raised.func
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
