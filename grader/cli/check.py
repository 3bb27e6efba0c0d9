"""`grade check SUBMISSION` (typed `grade SUBMISSION`): grade one file into one or more reports.

A report's exit code is the command's: 0 (all attempted passed), 1 (something failed) or 2
(the submission could not be loaded: its error is printed once, on stderr, instead of a text
report; a file or another format still gets its report).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from grader.cli.options import (
    MAX_EXAMPLES,
    assignment_option,
    examples_option,
    format_option,
    jobs_option,
    limit_options,
    load,
    options_for,
    pack_option,
    seed_option,
    trusted_option,
)
from grader.cli.output import colour_of, emit, fail, say_unloadable, width
from grader.cli.routing import FileCommand
from grader.errors import GraderError, UsageError

if TYPE_CHECKING:
    from grader.assignment import Assignment
    from grader.grading import Options
    from grader.report import Report

__all__ = ["check", "pair"]


@click.command(cls=FileCommand)
@click.argument("submission", type=click.Path(dir_okay=True, path_type=str))
@seed_option
@examples_option(f"Generated inputs per exercise, at most {MAX_EXAMPLES:,}.  [default: 100]")
@click.option("--only", multiple=True, metavar="NAME", help="Check only this exercise or set (repeatable).")
@format_option(
    "Report format (repeatable, paired by position with --output; default text): "
    "text, json, gradescope (results.json), junit (XML), github (Classroom runner result), "
    "markdown (for $GITHUB_STEP_SUMMARY)."
)
@click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Write the report of the --format at the same position to this file (repeatable).",
)
@assignment_option()
@click.option(
    "--student",
    default=None,
    help='The student, for an assignment with seed = "student" (default: the file name stem).',
)
@click.option("--verbose", "-v", is_flag=True, help="Also list passing identities and notes.")
@click.option("--colour/--no-colour", "colour", default=None, help="Colour the text report.")
@limit_options
@jobs_option
@trusted_option("the submission")
@pack_option
def check(
    submission: str,
    seed: int | None,
    examples: int | None,
    only: tuple[str, ...],
    fmts: tuple[str, ...],
    outputs: tuple[str, ...],
    assignment: str | None,
    student: str | None,
    verbose: bool,
    colour: bool | None,
    timeout: float | None,
    memory: int | None,
    cell_timeout: float | None,
    jobs: int,
    trusted: bool,
    packs: tuple[str, ...],
) -> None:
    """Grade SUBMISSION, a .py file or a .ipynb notebook defining the exercise functions.

    Several reports come from one run: `--format json -o r.json --format junit -o r.xml`.
    A last --format without an --output goes to the terminal.
    """
    from pathlib import Path

    from grader.sandbox.policy import Trust

    try:
        targets = pair(fmts, outputs)
        loaded = load(assignment)
        packs = (*(loaded.packs if loaded is not None else ()), *packs)
        if loaded is not None and only:
            raise UsageError("--only cannot be combined with --assignment; edit the assignment")
        options = options_for(
            loaded,
            student or Path(submission).stem,
            seed=seed,
            examples=examples,
            timeout=timeout,
            memory=memory,
            cell_timeout=cell_timeout,
        )
        trust = Trust.TRUSTED if trusted else Trust.OWN
        report = _graded(
            submission, replace(options, jobs=jobs, only=only or options.only, trust=trust, packs=packs)
        )
    except GraderError as exc:
        fail(exc)
    if not report.loaded:
        say_unloadable(report.errors, report.load_output)
    for fmt, output in targets:
        if output is None and fmt == "text" and not report.loaded:
            continue  # the error said it all; a file or another format still gets its report
        _write(report, fmt, output, loaded, colour=colour, verbose=verbose)
    sys.exit(report.exit_code)


def _graded(submission: str, options: Options) -> Report:
    """The report of `submission`, with a progress line while it is graded on a terminal."""
    from grader.cli.progress import Progress
    from grader.grading import chosen, grade

    progress = Progress(len(chosen(options))) if sys.stderr.isatty() else None
    try:
        return grade(submission, options, progress)
    finally:
        if progress is not None:
            progress.finish()  # before any message, so that it starts a clean line


def _write(
    report: Report,
    fmt: str,
    output: str | None,
    assignment: Assignment | None,
    *,
    colour: bool | None,
    verbose: bool,
) -> None:
    """Render `report` as `fmt` into `output`, or to the terminal (its colour, its width)."""
    from grader.render import render

    terminal = output is None
    use_colour = colour_of(colour) if terminal else bool(colour)
    text = render(
        report,
        fmt,
        colour=use_colour,
        verbose=verbose,
        visibility=None if assignment is None else assignment.visibilities,
        default_visibility="visible" if assignment is None else assignment.visibility,
        width=width() if terminal else None,
    )
    emit(text, output, colour=use_colour)


def pair(fmts: tuple[str, ...], outputs: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Pair formats with outputs by position; one format more than outputs goes to stdout.

    Raises UsageError when there are more outputs than formats, or two formats without one.
    """
    fmts = fmts or ("text",)
    if len(outputs) > len(fmts):
        raise UsageError(
            f"{len(outputs)} --output for {len(fmts)} --format; give a --format before each --output"
        )
    if len(fmts) > len(outputs) + 1:
        raise UsageError(
            f"{len(fmts)} --format for {len(outputs)} --output: only one report can go to the "
            "terminal; give each other --format an --output"
        )
    pairs: list[tuple[str, str | None]] = list(zip(fmts, outputs, strict=False))
    if len(fmts) > len(outputs):
        pairs.append((fmts[-1], None))
    return pairs
