"""The source sent for a function: its own def plus what it needs from its module's globals.

Only the names the code loads as globals are looked up (in its bytecode), so nothing else
of the caller's session is read or sent.  Each function's lines are recorded as an Origin,
so that the worker's frames (`File "<check>", line N`) can be put back where the code came
from.  What cannot be rebuilt raises Refused with a message for the student.
"""

from __future__ import annotations

import ast
import builtins
import dis
import inspect
import re
import textwrap
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from grader.report import Report
from grader.selfcheck.refusal import Refused
from grader.selfcheck.values import import_line, is_user_code, literal, quietly_unwrapped

__all__ = [
    "MAX_FUNCTIONS",
    "Origin",
    "compose_source",
    "described",
    "function_source",
    "relocated",
    "unwrapped",
]

MAX_FUNCTIONS = 50


def function_source(function: Callable[..., Any], name: str | None = None) -> str:
    """Source code that defines `function` (as `name`, default its own) and what it uses.

    Raises Refused with a message for the student when the function cannot be rebuilt.
    """
    return compose_source(function, name)[0]


@dataclass(frozen=True, slots=True)
class Origin:
    """Lines first..first+count-1 of the composed source are lines from `line` of `filename`."""

    first: int
    count: int
    filename: str
    line: int


def compose_source(function: Callable[..., Any], name: str | None) -> tuple[str, tuple[Origin, ...]]:
    """The source function_source returns, and where each function's lines came from."""
    function = unwrapped(function)
    collected = Collected()
    collected.add_function(function)
    # Annotations are never evaluated, so names used only in them need not be sent.
    lines = ["from __future__ import annotations", *collected.imports.values()]
    if collected.constants:
        lines += [""] * bool(lines) + [*collected.constants.values()]
    origins = []
    for key, source in collected.functions.items():
        lines += ["", ""] * bool(lines)
        body = source.rstrip("\n").splitlines()
        filename, line = collected.origins.get(key, ("", 0))
        if filename:
            origins.append(Origin(len(lines) + 1, len(body), filename, line))
        lines += body
    if collected.aliases:
        lines += ["", *collected.aliases.values()]
    own = function.__name__
    if name is not None and name != own:
        lines += ["", f"{name} = {own}"]
    return "\n".join(lines) + "\n", tuple(origins)


FRAME = re.compile(r'File "<check>", line (\d+)')


def relocated(report: Report, origins: tuple[Origin, ...]) -> Report:
    """`report` with the worker's `File "<check>", line N` put back where the code came from."""

    def where(match: re.Match[str]) -> str:
        number = int(match.group(1))
        for origin in origins:
            if origin.first <= number < origin.first + origin.count:
                return f'File "{origin.filename}", line {origin.line + number - origin.first}'
        return match.group(0)

    def fix(text: str) -> str:
        return FRAME.sub(where, text)

    exercises = tuple(
        replace(
            result,
            message=fix(result.message),
            identities=tuple(replace(i, message=fix(i.message)) for i in result.identities),
        )
        for result in report.exercises
    )
    return replace(report, exercises=exercises)


def unwrapped(function: Any) -> types.FunctionType:
    if isinstance(function, types.MethodType):
        raise Refused(
            f"`{function.__name__}` is a method; define the exercise as a plain function with def "
            "at the top level of a cell or file."
        )
    try:
        inner = inspect.unwrap(function) if callable(function) else function
    except ValueError:  # a cycle of __wrapped__
        inner = function
    if not isinstance(inner, types.FunctionType):
        raise Refused(
            f"check() needs a function defined with def, not {described(function)}; write "
            "`def name(...):` in a cell or file and pass that function (without calling it: "
            "check(neuron_grad), not check(neuron_grad(...)))."
        )
    if inner.__name__ == "<lambda>":
        raise Refused(
            "check() cannot check a lambda: its source cannot be sent to the grader.  Define it with "
            "def in a cell or file (def neuron_grad(w, b, x): ...) and pass that function."
        )
    if inner.__code__.co_freevars:
        raise Refused(
            f"`{inner.__name__}` is defined inside another function and uses its variables "
            f"({', '.join(inner.__code__.co_freevars)}); define it at the top level of a cell or file."
        )
    return inner


def described(value: Any) -> str:
    """What `value` is, for a refusal: "the class `Net`", "the built-in `len`", "a float"."""
    name = getattr(value, "__name__", None)
    if isinstance(value, type):
        return f"the class `{name}`"
    if isinstance(value, (types.BuiltinFunctionType, types.BuiltinMethodType)):
        return f"the built-in `{name}`"
    if value is None:
        return "None"
    kind = type(value).__name__
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def global_names(code: types.CodeType) -> Iterator[str]:
    """The names `code` (and the functions and comprehensions inside it) reads as globals."""
    for instruction in dis.get_instructions(code):
        if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME") and isinstance(instruction.argval, str):
            yield instruction.argval
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from global_names(const)


class Collected:
    """What the function needs, gathered name by name: imports, constants, functions."""

    def __init__(self) -> None:
        self.imports: dict[str, str] = {}
        self.constants: dict[str, str] = {}
        self.functions: dict[str, str] = {}
        self.origins: dict[str, tuple[str, int]] = {}
        self.aliases: dict[str, str] = {}
        self.seen: set[int] = set()

    def add_function(self, function: types.FunctionType) -> None:
        if id(function) in self.seen:
            return
        self.seen.add(id(function))
        if len(self.functions) >= MAX_FUNCTIONS:
            raise Refused(
                f"check() sends at most {MAX_FUNCTIONS} functions to the grader; save your code "
                "in a .py file and grade it with `grade FILE` instead."
            )
        source, decorators, line = own_source(function)
        if function.__name__ in self.functions:
            raise Refused(f"two different functions are named `{function.__name__}`; rename one of them.")
        self.functions[function.__name__] = source
        self.origins[function.__name__] = (function.__code__.co_filename, line)
        names = dict.fromkeys([*decorators, *global_names(function.__code__)])
        for name in names:
            self.add_global(name, function)

    def add_global(self, name: str, user: types.FunctionType) -> None:
        namespace = user.__globals__
        if name in self.imports or name in self.constants or name in self.aliases:
            return
        if name not in namespace:
            return  # a builtin, or a name the function would not find either (NameError)
        value = namespace[name]
        inner = quietly_unwrapped(value)
        if isinstance(inner, types.FunctionType) and (
            inner.__globals__ is namespace or is_user_code(inner.__module__)
        ):
            inner = unwrapped(inner)
            if inner.__name__ != name:
                self.aliases[name] = f"{name} = {inner.__name__}"
            self.add_function(inner)
            return
        if isinstance(value, types.ModuleType) and is_user_code(value.__name__):
            raise Refused(
                f"`{user.__name__}` uses your own module `{value.__name__}`, which the grader's process "
                "cannot import; copy what you need from it into the notebook or file."
            )
        line = import_line(name, value)
        if line is not None:
            self.imports[name] = line
            return
        constant = literal(value)
        if constant is not None:
            self.constants[name] = f"{name} = {constant}"
            return
        if isinstance(value, type) and value.__module__ == user.__module__:
            self._add_class(name, value)
            return
        raise Refused(
            f"`{user.__name__}` uses the global `{name}` (a {type(value).__name__}), which check() cannot "
            "send to the grader's process; only modules, functions defined with def, and plain "
            "numbers, strings and tuples are sent.  Build it inside the function, or grade a "
            ".py file with `grade FILE`."
        )

    def _add_class(self, name: str, cls: type) -> None:
        try:
            source = textwrap.dedent(inspect.getsource(cls))
        except (OSError, TypeError):
            raise Refused(
                f"the source of the class `{name}` cannot be found; save your code in a .py file "
                "and grade it with `grade FILE`."
            ) from None
        self.functions.setdefault(name, source)


def own_source(function: types.FunctionType) -> tuple[str, list[str], int]:
    """The source of the def of `function`, with its decorators; the names they use; its line."""
    try:
        lines, start = inspect.getsourcelines(function)
    except (OSError, TypeError):
        raise Refused(
            f"the source code of `{function.__name__}` cannot be found (was it made with exec, or "
            "typed in a plain `python` prompt?).  Define it with def in a Jupyter cell, an IPython "
            "session or a .py file."
        ) from None
    source = textwrap.dedent("".join(lines))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        raise Refused(
            f"the source of `{function.__name__}` could not be read back; define it with def at the "
            "top level of a cell or file."
        ) from None
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name != function.__name__:
        raise Refused(
            f"the source found for `{function.__name__}` does not define it; define it with def at the "
            "top level of a cell or file."
        )
    evaluated = [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]
    decorators = [n.id for d in evaluated for n in ast.walk(d) if isinstance(n, ast.Name)]
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    last = node.end_lineno or len(source.splitlines())
    own = "\n".join(source.splitlines()[first - 1 : last]) + "\n"
    return own, [d for d in decorators if not hasattr(builtins, d)], max(1, start) + first - 1
