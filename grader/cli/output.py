"""What the commands print: the terminal's colour and width, reports, and errors, decided once.

Colour: --colour/--no-colour, else NO_COLOR, else FORCE_COLOR, else whether stdout is a
terminal that is not TERM=dumb.  Width: COLUMNS, else the terminal's, else 80.  A GraderError
becomes `grade: MESSAGE` on stderr and its exit code, here and nowhere else.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NoReturn

import click

from grader.errors import GraderError

if TYPE_CHECKING:
    from grader.student_output import StudentOutput

__all__ = ["colour_of", "emit", "fail", "say_unloadable", "width"]

MIN_WIDTH = 40  # narrower, a hanging indent leaves too little room for the text


def colour_of(flag: bool | None) -> bool:
    """Whether to colour what goes to stdout: the flag, else NO_COLOR, FORCE_COLOR, a terminal.

    NO_COLOR (no-color.org) and FORCE_COLOR (force-color.org) count when set to anything
    but the empty string; NO_COLOR wins; --colour/--no-colour, given per run, beats both.
    """
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def width() -> int:
    """The columns to wrap the terminal's text to: COLUMNS, else the terminal's, else 80.

    80 when stdout is not a terminal (a pipe, a file) and COLUMNS is not set; at least 40.
    """
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if (columns.isdigit() and int(columns) > 0) or sys.stdout.isatty():
        return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)
    return 80


def say_unloadable(errors: tuple[str, ...], printed: StudentOutput | None = None) -> None:
    """Say once, on stderr, why a submission could not be loaded (instead of a text report).

    `printed`: what it printed before it failed, often the clue, shown after the error.
    """
    for error in errors:
        click.echo(f"grade: {error}", err=True)
    if printed is not None:
        from grader.render._details import LOAD_OUTPUT_LABEL, output_lines

        click.echo("\n".join(output_lines(printed, LOAD_OUTPUT_LABEL)), err=True)


def emit(text: str, output: str | None, *, colour: bool = False) -> None:
    """Write `text` to the file `output`, or to stdout when it is None.

    Exits through `fail` when the file cannot be written.
    """
    if output is None:
        # color= keeps click from stripping the colours chosen above when stdout is no terminal.
        click.echo(text, nl=False, color=colour)
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        fail(GraderError(f"cannot write {output}: {exc.strerror}"))


def fail(exc: GraderError) -> NoReturn:
    """Say `grade: MESSAGE` on stderr and exit with the error's exit code."""
    click.echo(f"grade: {exc}", err=True)
    sys.exit(exc.exit_code)
