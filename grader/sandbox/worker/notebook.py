"""A notebook's cells, run in the worker one "cell" message each, in one shared namespace.

Like `main.py`, this file is loaded by path into the worker (the untrusted process) under a
private name and kept out of sys.modules, and imports nothing of matgrade; the worker's
`answers` module is passed in.  Each cell is compiled with its own file name (`<cell 4>`) and
stopped by SIGALRM after its "seconds"; a cell that raises is reported and the next cell runs.
The namespace is Jupyter's `__main__`, with IPython's `display` builtin.
"""

from __future__ import annotations

import signal
import sys
import traceback
import types
from collections.abc import Callable
from typing import Any


class _CellTimeout(BaseException):
    """Raised in a notebook cell by SIGALRM when it runs past its time limit."""


def _display(*objects: Any, **options: Any) -> None:
    """IPython's `display` builtin: outputs are not graded, so nothing is shown."""


def namespace() -> types.ModuleType:
    """The namespace the cells share, made on the first cell; `__name__` is Jupyter's."""
    import builtins

    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = {**vars(builtins), "display": _display}
    sys.modules["submission"] = module
    return module


def _unparsed(exc: BaseException, filename: str, answers: Any) -> dict[str, Any]:
    """The reply for a cell that does not compile."""
    if isinstance(exc, SyntaxError):  # and IndentationError
        caret = " " * max(0, (exc.offset or 1) - 1) + "^"
        text = (exc.text or "").rstrip("\n")
        where = f'  File "{filename}", line {exc.lineno}\n'
        return {
            "ok": False,
            "error": {
                "type": type(exc).__name__,
                "message": exc.msg,
                "line": exc.lineno,
                "traceback": where + (f"    {text}\n    {caret}\n" if text else ""),
            },
        }
    # nested too deeply for the parser
    unparsed = {"type": type(exc).__name__, "message": answers.describe(exc), "traceback": ""}
    return {"ok": False, "error": unparsed}


def run_cell(
    message: dict[str, Any], module: types.ModuleType, answers: Any, leave_if_forked: Callable[[], None]
) -> dict[str, Any]:
    """Run one notebook cell in the shared namespace `module`, within its time limit."""
    import linecache

    filename, source = str(message["filename"]), str(message["source"])
    seconds = min(max(float(message["seconds"]), 0.01), 86_400.0)
    # Registered so that tracebacks show the cell's lines (the cell is no file).
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        code = compile(source, filename, "exec")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        return _unparsed(exc, filename, answers)
    armed = False  # the cell is running under its alarm

    def alarm(signum: int, frame: Any) -> None:
        if armed:
            raise _CellTimeout

    signal.signal(signal.SIGALRM, alarm)
    try:
        try:
            armed = True
            # Again every 0.2 s: code that catches the first one is interrupted again.
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
            exec(code, module.__dict__)
        finally:
            armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _CellTimeout:
        leave_if_forked()
        # No line: where an endless loop is stopped differs from run to run.
        return {
            "ok": False,
            "error": {"type": "Timeout", "message": f"{seconds:g}", "line": None, "traceback": ""},
        }
    except BaseException as exc:  # sys.exit, KeyboardInterrupt: all are the student's
        leave_if_forked()
        error = answers.error(exc, filename)
        # The line is the cell's own, even when a function of an earlier cell raised.
        lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
        error["line"] = lines[-1] if lines else None
        return {"ok": False, "error": error}
    finally:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    leave_if_forked()
    return {"ok": True}
