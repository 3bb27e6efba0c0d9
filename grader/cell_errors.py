"""The prose of a failed notebook cell, as a student reads it in every report format."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.report import CellError

__all__ = ["cell_error_text"]

_CELL_HINTS = {
    "SystemExit": "a notebook cell must not exit; remove the sys.exit()/exit() call",
    "KeyboardInterrupt": "a notebook cell must not raise KeyboardInterrupt",
    "EOFError": "input() cannot be answered while grading; remove it or give the value directly",
}


def cell_error_text(error: CellError) -> str:
    """One cell's failure as a student reads it: what, where, and their own frames.

    The one place the prose of a failed cell is written (`Report.all_errors` lists it).
    """
    label = error.label
    if error.type == "Timeout":
        return f"{label} was stopped: {error.message}; the other cells ran"
    if error.type == "Crash":
        reason = error.message.split(";")[0]
        return f"{label} {reason}; it was left out and the other cells ran without it"
    out = f"{label} raised {error.type}"
    if error.message:
        out += f": {error.message}"
    if error.line is not None:
        out += f" (line {error.line})"
    if error.type in _CELL_HINTS:
        out += f"; {_CELL_HINTS[error.type]}"
    trace = error.traceback.rstrip()
    return out + ("\n" + trace if trace else "")
