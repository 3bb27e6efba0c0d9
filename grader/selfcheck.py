"""`check(fn)`: one exercise checked from a notebook or a Python session, as `grade` checks it.

The function object never runs here: its source code is sent to the grader's worker process
like a submission file.  The source is the function's own (`inspect.getsource`, which
finds a Jupyter cell's code in `linecache`, where IPython registers it) plus what it needs
from its module's globals: an `import` line for each module or library object it uses, the
source of each other function of the same module it calls (recursively, up to MAX_FUNCTIONS),
and plain constants as assignments.  Only the names the code loads as globals are looked up
(in its bytecode), so nothing else of the caller's session is read or sent.  Whatever cannot
be rebuilt that way (a lambda, a closure, an array kept in a global) is refused with a
message saying what to do; the refusal is a result, not an exception, so that a notebook
shows a sentence instead of a traceback.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import dis
import inspect
import math
import os
import re
import sys
import textwrap
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from grader.errors import GraderError
from grader.report import ExerciseResult, Report

__all__ = ["MAX_FUNCTIONS", "CheckResult", "check", "function_source"]

MAX_FUNCTIONS = 50
_MIN_TIMEOUT = 0.01  # seconds, as `grade --timeout` takes it
_PLAIN: tuple[type, ...] = (bool, int, float, complex, str, bytes)


class _Refused(Exception):
    """The function cannot be sent to the worker; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of `check(fn)`: the report of grading one exercise, and the source sent.

    `str()` (and the REPL's repr) is the terminal report of `grade`; in Jupyter the result
    shows as a table (`_repr_html_`).  `passed` is True only when every identity holds.
    """

    report: Report
    exercise: str
    source: str = ""

    @property
    def result(self) -> ExerciseResult | None:
        """The exercise's result; None when the exercise could not even be named."""
        return next((r for r in self.report.exercises if r.name == self.exercise), None)

    @property
    def status(self) -> str:
        """passed, failed, error or missing (a stub that raises NotImplementedError)."""
        result = self.result
        return "error" if result is None else result.status

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def score(self) -> float:
        return self.report.score

    @property
    def max_score(self) -> float:
        return self.report.max_score

    def __str__(self) -> str:
        if not self.report.loaded:  # refused before grading: the reason is all there is to say
            return "".join(f"{self.report.submission}: not checked: {e}\n" for e in self.report.errors)
        from grader.render.text import render_text

        return render_text(self.report, verbose=self.passed)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        from grader.render.html import render_html

        return render_html(self.report)


def check(
    function: Callable[..., Any],
    exercise: str | None = None,
    *,
    seed: int | None = None,
    examples: int | None = None,
    timeout: float | None = None,
) -> CheckResult:
    """Check `function` as the exercise `exercise` (default: the function's own name).

    The function runs only in the grader's worker process, on the same generated inputs as
    `grade FILE --only NAME --seed SEED` would use.  Returns a CheckResult and never raises
    for a misuse: a function that cannot be checked (a lambda, a class, a builtin, no source),
    an unknown exercise name or a bad option (examples, seed, timeout) gives a result that is
    not checked, with a message saying what was wrong and what to do.
    """
    from grader.grading import DEFAULT_SEED, Options, grade_submission
    from grader.submission import Submission

    label = getattr(function, "__name__", None)
    label = label if isinstance(label, str) else type(function).__name__
    shown = exercise if isinstance(exercise, str) else label
    try:
        _check_options(seed, examples, timeout)
        if exercise is not None and not isinstance(exercise, str):
            raise _Refused(
                f"the exercise must be given by its name, a string such as 'neuron_grad', not a "
                f"{type(exercise).__name__}: check({label}, 'neuron_grad').  `grade list` shows the names."
            )
        _unwrapped(function)  # what is not a function is refused before its name is looked up
        name = _exercise_name(function, exercise)
        source, origins = _compose(function, name)
    except _Refused as refused:
        kept = seed if isinstance(seed, int) and not isinstance(seed, bool) else DEFAULT_SEED
        return _refusal(shown, kept, str(refused))
    seed = DEFAULT_SEED if seed is None else seed
    options = Options(
        seed=seed, examples=100 if examples is None else examples, only=(f"exercise:{name}",), jobs=1
    )
    if timeout is not None:
        options = replace(options, limits=replace(options.limits, call_seconds=float(timeout)))
    submission = Submission(path=f"check({label})", source=source, filename="<check>")
    try:
        report = grade_submission(submission, options)
    except GraderError as exc:  # the library's own bounds (UsageError) or a worker that cannot start
        bounded = "check()'s examples=, seed= and timeout= are bounded as `grade`'s options"
        return _refusal(name, seed, f"{str(exc).rstrip('.')}; {bounded}: {_OPTIONS_HELP}.")
    return CheckResult(report=_relocated(report, origins), exercise=name, source=source)


_OPTIONS_HELP = "for example check(neuron_grad, seed=7, examples=200, timeout=2.0)"


def _check_options(seed: Any, examples: Any, timeout: Any) -> None:
    """Refuse options `grade` would refuse, in words for check()'s keywords.

    Only the type and sign are checked here; the library's own bounds (the largest number
    of examples) come back from grade_submission as a UsageError.
    """
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise _Refused(f"seed must be a whole number, not {seed!r}; {_OPTIONS_HELP}.")
    if examples is not None and (isinstance(examples, bool) or not isinstance(examples, int)):
        raise _Refused(f"examples must be a whole number of at least 1, not {examples!r}; {_OPTIONS_HELP}.")
    if examples is not None and examples < 1:
        raise _Refused(
            f"examples must be at least 1, not {examples}: it is the number of generated inputs "
            f"to check the function on; {_OPTIONS_HELP}."
        )
    if timeout is not None:
        number = not isinstance(timeout, bool) and isinstance(timeout, (int, float))
        if not number or not math.isfinite(timeout) or timeout < _MIN_TIMEOUT:
            raise _Refused(
                f"timeout must be a number of seconds of at least {_MIN_TIMEOUT} (the time limit of "
                f"one call of the function), not {timeout!r}; {_OPTIONS_HELP}."
            )


def _exercise_name(function: Any, exercise: str | None) -> str:
    from exercises import by_name

    known = by_name()
    name = exercise if exercise is not None else getattr(function, "__name__", None)
    if isinstance(name, str) and name in known:
        return name
    close = difflib.get_close_matches(str(name), list(known), n=1)
    suggestion = close[0] if close else "neuron_grad"
    if exercise is None:
        guess = f"; did you mean `{close[0]}`?" if close else "."
        raise _Refused(
            f"`{name}` is not the name of an exercise{guess}  Name the function like its "
            f"exercise (def {suggestion}(...)), or say which it is: check({name}, {suggestion!r}).  "
            "`grade list` shows the exercises."
        )
    guess = f"; did you mean {suggestion!r}?" if close else "."
    raise _Refused(f"no exercise named {exercise!r}{guess}  `grade list` shows them.")


def _refusal(name: str, seed: int, message: str) -> CheckResult:
    from exercises import by_name

    known = by_name().get(name)
    results: tuple[ExerciseResult, ...] = ()
    if known is not None:
        results = (
            ExerciseResult(
                name=name,
                set=known.set,
                status="error",
                score=0.0,
                max_score=known.points,
                message="not checked: see the error above",
            ),
        )
    report = Report(
        submission=f"check({name})", seed=seed, exercises=results, errors=(message,), loaded=False
    )
    return CheckResult(report=report, exercise=name)


def function_source(function: Callable[..., Any], name: str | None = None) -> str:
    """Source code that defines `function` (as `name`, default its own) and what it uses.

    Raises _Refused with a message for the student when the function cannot be rebuilt.
    """
    return _compose(function, name)[0]


@dataclass(frozen=True, slots=True)
class _Origin:
    """Lines first..first+count-1 of the composed source are lines from `line` of `filename`."""

    first: int
    count: int
    filename: str
    line: int


def _compose(function: Callable[..., Any], name: str | None) -> tuple[str, tuple[_Origin, ...]]:
    """The source function_source returns, and where each function's lines came from."""
    function = _unwrapped(function)
    collected = _Collected()
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
            origins.append(_Origin(len(lines) + 1, len(body), filename, line))
        lines += body
    if collected.aliases:
        lines += ["", *collected.aliases.values()]
    own = function.__name__
    if name is not None and name != own:
        lines += ["", f"{name} = {own}"]
    return "\n".join(lines) + "\n", tuple(origins)


_FRAME = re.compile(r'File "<check>", line (\d+)')


def _relocated(report: Report, origins: tuple[_Origin, ...]) -> Report:
    """`report` with the worker's `File "<check>", line N` put back where the code came from."""

    def where(match: re.Match[str]) -> str:
        number = int(match.group(1))
        for origin in origins:
            if origin.first <= number < origin.first + origin.count:
                return f'File "{origin.filename}", line {origin.line + number - origin.first}'
        return match.group(0)

    def fix(text: str) -> str:
        return _FRAME.sub(where, text)

    exercises = tuple(
        replace(
            result,
            message=fix(result.message),
            identities=tuple(replace(i, message=fix(i.message)) for i in result.identities),
        )
        for result in report.exercises
    )
    return replace(report, exercises=exercises)


def _unwrapped(function: Any) -> types.FunctionType:
    if isinstance(function, types.MethodType):
        raise _Refused(
            f"`{function.__name__}` is a method; define the exercise as a plain function with def "
            "at the top level of a cell or file."
        )
    try:
        inner = inspect.unwrap(function) if callable(function) else function
    except ValueError:  # a cycle of __wrapped__
        inner = function
    if not isinstance(inner, types.FunctionType):
        raise _Refused(
            f"check() needs a function defined with def, not {_described(function)}; write "
            "`def name(...):` in a cell or file and pass that function (without calling it: "
            "check(neuron_grad), not check(neuron_grad(...)))."
        )
    if inner.__name__ == "<lambda>":
        raise _Refused(
            "check() cannot check a lambda: its source cannot be sent to the grader.  Define it with "
            "def in a cell or file (def neuron_grad(w, b, x): ...) and pass that function."
        )
    if inner.__code__.co_freevars:
        raise _Refused(
            f"`{inner.__name__}` is defined inside another function and uses its variables "
            f"({', '.join(inner.__code__.co_freevars)}); define it at the top level of a cell or file."
        )
    return inner


def _described(value: Any) -> str:
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


def _global_names(code: types.CodeType) -> Iterator[str]:
    """The names `code` (and the functions and comprehensions inside it) reads as globals."""
    for instruction in dis.get_instructions(code):
        if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME") and isinstance(instruction.argval, str):
            yield instruction.argval
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _global_names(const)


def _is_user_code(module_name: str | None) -> bool:
    """Whether the module named so is the student's own (a notebook, a file of theirs).

    Installed libraries and the standard library are not; neither is matgrade itself.
    """
    if (module_name or "").partition(".")[0] in ("grader", "reference", "exercises"):
        return False  # matgrade's own code is never sent to the worker
    module = sys.modules.get(module_name or "")
    path = getattr(module, "__file__", None)
    if not isinstance(path, str):
        return module is None or module_name == "__main__"
    import sysconfig

    library = {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    real = os.path.realpath(path)
    return not any(real.startswith(os.path.realpath(root) + os.sep) for root in library)


def _quietly_unwrapped(value: Any) -> Any:
    """The function a decorator (functools.wraps, lru_cache) wraps, or `value` itself."""
    try:
        return inspect.unwrap(value) if callable(value) else value
    except ValueError:  # a cycle of __wrapped__
        return value


def _literal(value: Any, depth: int = 0) -> str | None:
    """Python source for a plain constant, or None when `value` is not one."""
    if depth > 5:
        return None
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        value = value.item()  # a numpy scalar: its repr would need numpy
    if value is None:
        return "None"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(float(value))!r})"
    if isinstance(value, complex) and not (math.isfinite(value.real) and math.isfinite(value.imag)):
        return None
    for kind in _PLAIN:
        if isinstance(value, kind):
            return repr(kind(value))
    if isinstance(value, (tuple, list)) and len(value) <= 1000:
        items = [_literal(v, depth + 1) for v in value]
        if any(i is None for i in items):
            return None
        inner = ", ".join(i for i in items if i is not None)
        if isinstance(value, tuple):
            return f"({inner},)" if len(items) == 1 else f"({inner})"
        return f"[{inner}]"
    return None


def _import_line(name: str, value: Any) -> str | None:
    """`import numpy as np` or `from math import sqrt as name` for a library object."""
    if isinstance(value, types.ModuleType):
        dotted = value.__name__
        return f"import {dotted}" if dotted == name else f"import {dotted} as {name}"
    module_name = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    if not isinstance(module_name, str) or not isinstance(qualname, str) or "." in qualname:
        return None
    if module_name in ("__main__", "builtins") or "<" in qualname:
        return None
    module = sys.modules.get(module_name)
    if module is None or getattr(module, qualname, None) is not value:
        return None
    return f"from {module_name} import {qualname}" + ("" if qualname == name else f" as {name}")


class _Collected:
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
            raise _Refused(
                f"check() sends at most {MAX_FUNCTIONS} functions to the grader; save your code "
                "in a .py file and grade it with `grade FILE` instead."
            )
        source, decorators, line = _own_source(function)
        if function.__name__ in self.functions:
            raise _Refused(f"two different functions are named `{function.__name__}`; rename one of them.")
        self.functions[function.__name__] = source
        self.origins[function.__name__] = (function.__code__.co_filename, line)
        names = dict.fromkeys([*decorators, *_global_names(function.__code__)])
        for name in names:
            self.add_global(name, function)

    def add_global(self, name: str, user: types.FunctionType) -> None:
        namespace = user.__globals__
        if name in self.imports or name in self.constants or name in self.aliases:
            return
        if name not in namespace:
            return  # a builtin, or a name the function would not find either (NameError)
        value = namespace[name]
        inner = _quietly_unwrapped(value)
        if isinstance(inner, types.FunctionType) and (
            inner.__globals__ is namespace or _is_user_code(inner.__module__)
        ):
            inner = _unwrapped(inner)
            if inner.__name__ != name:
                self.aliases[name] = f"{name} = {inner.__name__}"
            self.add_function(inner)
            return
        if isinstance(value, types.ModuleType) and _is_user_code(value.__name__):
            raise _Refused(
                f"`{user.__name__}` uses your own module `{value.__name__}`, which the grader's process "
                "cannot import; copy what you need from it into the notebook or file."
            )
        line = _import_line(name, value)
        if line is not None:
            self.imports[name] = line
            return
        literal = _literal(value)
        if literal is not None:
            self.constants[name] = f"{name} = {literal}"
            return
        if isinstance(value, type) and value.__module__ == user.__module__:
            self._add_class(name, value)
            return
        raise _Refused(
            f"`{user.__name__}` uses the global `{name}` (a {type(value).__name__}), which check() cannot "
            "send to the grader's process; only modules, functions defined with def, and plain "
            "numbers, strings and tuples are sent.  Build it inside the function, or grade a "
            ".py file with `grade FILE`."
        )

    def _add_class(self, name: str, cls: type) -> None:
        try:
            source = textwrap.dedent(inspect.getsource(cls))
        except (OSError, TypeError):
            raise _Refused(
                f"the source of the class `{name}` cannot be found; save your code in a .py file "
                "and grade it with `grade FILE`."
            ) from None
        self.functions.setdefault(name, source)


def _own_source(function: types.FunctionType) -> tuple[str, list[str], int]:
    """The source of the def of `function`, with its decorators; the names they use; its line."""
    try:
        lines, start = inspect.getsourcelines(function)
    except (OSError, TypeError):
        raise _Refused(
            f"the source code of `{function.__name__}` cannot be found (was it made with exec, or "
            "typed in a plain `python` prompt?).  Define it with def in a Jupyter cell, an IPython "
            "session or a .py file."
        ) from None
    source = textwrap.dedent("".join(lines))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        raise _Refused(
            f"the source of `{function.__name__}` could not be read back; define it with def at the "
            "top level of a cell or file."
        ) from None
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name != function.__name__:
        raise _Refused(
            f"the source found for `{function.__name__}` does not define it; define it with def at the "
            "top level of a cell or file."
        )
    evaluated = [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]
    decorators = [n.id for d in evaluated for n in ast.walk(d) if isinstance(n, ast.Name)]
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    last = node.end_lineno or len(source.splitlines())
    own = "\n".join(source.splitlines()[first - 1 : last]) + "\n"
    return own, [d for d in decorators if not hasattr(builtins, d)], max(1, start) + first - 1
