"""The symbolic comparison of a formula answer with the reference, in a forked child of the grader.

`compare` asks sympy whether `simplify(student - reference) == 0` for each entry, where the
student's entries are the records of `formula_tree.read_tree` (already checked) and the
reference's are the exercise's own sympy derivative: both stay in the grader, and the work is
done by a fork of the grader that runs only this module's code (no student code: the student's
formula is data here).  simplify is not bounded (a hostile formula can keep it busy for
minutes), so the child is killed at the deadline, whatever it is doing: a hang, a deadlock
on a lock another thread held when the grader forked, or a loop that ignores signals.  The
grader installs no signal handler and starts no timer for this, so it is safe in batch
workers and in `check()` in a notebook kernel (any thread).  The child's memory is capped
(RLIMIT_AS, `MEMORY_MARGIN` above the grader's own size) so that it cannot push the machine
into the OOM killer.

Where an entry differs, the child also evaluates both formulas at one point where both are
finite real numbers: the feedback shows the student's value and the expected value there,
never the simplified difference nor the reference expression.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import select
import signal
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from grader.checking.formula_tree import Node, expression

__all__ = ["Difference", "Symbolic", "compare"]

MAX_SHOWN = 4  # entries with a point shown
MAX_REPLY = 64 * 1024  # bytes read from the child
MEMORY_MARGIN = 1 << 30  # the child's address space beyond the grader's own
# Where the values are shown: each variable takes one of these in turn, the first point where
# both formulas are finite real numbers (and differ) is shown.
POINTS = (0.7, 1.3, -0.6, 2.1, 0.35, -1.7, 3.2)
# The kinds of function whose simplification imports sympy's modules (`_warm_up`).
WARM_UP = ("sin", "tan", "sinh", "tanh", "asin", "exp", "log", "sqrt", "abs")


@dataclass(frozen=True, slots=True)
class Difference:
    """One entry where sympy does not simplify the difference to 0.

    `constant` is True when the difference is a nonzero number (the formula is off by a
    constant).  `point` (variable, value) pairs, with `got` (the student's value) and `expected`,
    where both are finite; `point` is () when no such point was found.
    """

    entry: int
    constant: bool = False
    point: tuple[tuple[str, float], ...] = ()
    got: float | None = None
    expected: float | None = None


@dataclass(frozen=True, slots=True)
class Symbolic:
    """The symbolic comparison: `equal` True or False when sympy decided, else None (`reason`)."""

    equal: bool | None
    reason: str = ""
    differences: tuple[Difference, ...] = ()


def compare(
    student: Sequence[Node], reference: Sequence[Any], variables: Sequence[str], seconds: float
) -> Symbolic:
    """Whether each student entry simplifies to the reference entry, decided within `seconds`.

    `student` and `reference` are the entries in row-major order (same length); `reference`
    holds sympy expressions in real symbols named as `variables`.
    """
    if len(student) != len(reference):
        return Symbolic(equal=None, reason="the shapes differ (the shape identity reports it)")
    _warm_up()
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a threaded process may deadlock the child: the child
        # here is killed at the deadline, and touches no lock that the grader needs.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        _child(write_fd, read_fd, student, reference, variables)
    os.close(write_fd)
    try:
        data = _read_until(read_fd, time.monotonic() + seconds)
    finally:
        os.close(read_fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # not yet reaped, so the pid is still the child's
        with contextlib.suppress(ChildProcessError):  # reaped by a SIGCHLD of SIG_IGN
            os.waitpid(pid, 0)
    if data is None:
        return Symbolic(equal=None, reason=f"sympy could not decide within {seconds:g} s")
    return _verdict_of(data)


_warm = False


def _warm_up() -> None:
    """Once per process, in the grader: the work of a child on our own formula, not timed.

    sympy imports modules inside its functions.  A child that needs a module which another
    thread of the grader was importing at the moment of the fork waits for that thread's
    module lock forever (it was copied held): the deadline ends it, but the verdict is lost.
    With every module simplify and evalf need imported beforehand, the child imports nothing.
    """
    global _warm
    if _warm:
        return
    import sympy

    from grader.checking.formula_tree import Binary, Call, Name, Number

    t = sympy.Symbol("x", real=True)
    x = Name("x")
    third = Binary("/", x, Number(3))
    for function in WARM_UP:  # one small formula each: simplify of all of them at once is slow
        node = Binary("+", Binary("**", x, Number(2)), Call(function, third))
        _decide([node], [expression(node, {"x": t}) + t], ("x",))
    _warm = True


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes before it closes the pipe; None past the deadline."""
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_REPLY:
            return b"".join(chunks)


def _verdict_of(data: bytes) -> Symbolic:
    """The child's reply (our own code, but read with care: it may have died half way)."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except ValueError:
        return Symbolic(equal=None, reason="sympy stopped without an answer (out of memory?)")
    if not isinstance(raw, dict):
        return Symbolic(equal=None, reason="sympy stopped without an answer")
    equal = raw.get("equal")
    differences = tuple(
        Difference(
            entry=int(item["entry"]),
            constant=item.get("constant") is True,
            point=tuple((str(name), float(value)) for name, value in item.get("point", [])),
            got=item.get("got"),
            expected=item.get("expected"),
        )
        for item in raw.get("differences", [])
    )
    return Symbolic(
        equal=equal if isinstance(equal, bool) else None,
        reason=str(raw.get("reason", "")),
        differences=differences,
    )


# -- in the child ------------------------------------------------------------------------------


def _child(
    write_fd: int, read_fd: int, student: Sequence[Node], reference: Sequence[Any], variables: Sequence[str]
) -> None:  # pragma: no cover - runs in the forked child
    """Decide, write the answer as JSON, and leave without running anything of the grader's."""
    try:
        os.close(read_fd)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
            signal.signal(number, signal.SIG_DFL)
        _cap_memory()
        try:
            answer = _decide(student, reference, variables)
        except MemoryError:
            answer = {"equal": None, "reason": "sympy ran out of memory"}
        except Exception as exc:  # sympy's own failure on a strange formula: no verdict
            answer = {"equal": None, "reason": f"sympy could not decide ({type(exc).__name__})"}
        data = json.dumps(answer).encode("utf-8")
        while data:
            data = data[os.write(write_fd, data) :]
    finally:
        os._exit(0)


def _cap_memory() -> None:  # pragma: no cover - runs in the forked child
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
        size = pages * os.sysconf("SC_PAGE_SIZE") + MEMORY_MARGIN
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            size = min(size, hard)
        resource.setrlimit(resource.RLIMIT_AS, (size, hard))
    except (OSError, ValueError):
        pass  # no /proc, or a limit already lower: the deadline still holds


def _decide(student: Sequence[Node], reference: Sequence[Any], variables: Sequence[str]) -> dict[str, Any]:
    import sympy

    symbols = {name: sympy.Symbol(name, real=True) for name in variables}
    differences: list[dict[str, Any]] = []
    for index, (node, expected) in enumerate(zip(student, reference, strict=True)):
        got = expression(node, symbols)
        difference = sympy.simplify(got - expected)
        if difference == 0:
            continue
        found: dict[str, Any] = {
            "entry": index,
            "constant": bool(difference.is_number) and difference.is_zero is False,
        }
        if len(differences) < MAX_SHOWN:
            found.update(_point(got, expected, symbols))
        differences.append(found)
    return {"equal": not differences, "reason": "", "differences": differences}


def _point(got: Any, expected: Any, symbols: dict[str, Any]) -> dict[str, Any]:
    """The first point of POINTS where both are finite reals and differ: the values there."""
    names = list(symbols)
    for start in range(len(POINTS)):
        point = {name: POINTS[(start + k) % len(POINTS)] for k, name in enumerate(names)}
        values = [_value(e, point, symbols) for e in (got, expected)]
        mine, theirs = values
        if mine is None or theirs is None or mine == theirs:
            continue
        return {"point": list(point.items()), "got": mine, "expected": theirs}
    return {}


def _value(formula: Any, point: dict[str, float], symbols: dict[str, Any]) -> float | None:
    import sympy

    exact = {symbols[name]: sympy.Rational(repr(value)) for name, value in point.items()}
    value = sympy.N(formula.subs(exact), 15)
    if not value.is_real:
        return None
    number = float(value)
    return number if math.isfinite(number) else None
