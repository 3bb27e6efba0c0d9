"""The `grade` command: a thin click layer over the library; heavy imports inside commands.

One module per command or family: `check` (`grade SUBMISSION`), `catalogue` (`list`,
`start`), `batches` (`batch`), `report` (`report`: the class report of a batch), `autograder`
(`bundle`), `doctor` (`doctor`).  Beside them: `routing` makes
`grade FILE` short for `grade check FILE`; `options` holds the shared options and what they
change in grading's Options; `output` decides colour and width, writes reports and turns a
GraderError into a message and exit code 2, once; `progress` is the terminal's progress line.

Importing this package imports click and `COMMANDS`, the table of where each command lives
(`lazy`): a command's module is imported only when that command runs, so `grade --help`
loads none of them, nor numpy, sympy, hypothesis or nbformat (tests/grader/test_startup.py).
A new command is a line of `COMMANDS`, its short help the first line of its docstring.
"""

from __future__ import annotations

import click

from grader import __version__
from grader.cli.lazy import Lazy, LazyGroup

__all__ = ["COMMANDS", "cli", "main"]

# name -> where the command lives and the first line of its docstring (a test keeps them equal).
COMMANDS = {
    "check": Lazy(
        "grader.cli.check", "check",
        "Grade SUBMISSION, a .py file or a .ipynb notebook defining the exercise functions.",
    ),
    "batch": Lazy(
        "grader.cli.batches", "batch",
        "Grade every submission in SUBMISSIONS into OUTDIR/gradebook.csv.",
    ),
    "report": Lazy(
        "grader.cli.report", "report",
        "Write OUTDIR/class-report.html and OUTDIR/mistakes.csv from a `grade batch` output folder.",
    ),
    "bundle": Lazy(
        "grader.cli.autograder", "bundle",
        "Write the autograder zip of PLATFORM (gradescope) for an assignment.",
    ),
    "list": Lazy(
        "grader.cli.catalogue", "list_",
        "List the exercise sets: per exercise its signature, section and task.",
    ),
    "start": Lazy(
        "grader.cli.catalogue", "start",
        "Write a starter file for the exercise sets SET... (`all` for every set).",
    ),
    "doctor": Lazy(
        "grader.cli.doctor", "doctor",
        "Show how student code is isolated here, and whether matgrade will grade it.",
    ),
    "pack": Lazy(
        "grader.cli.pack", "pack",
        "Exercise packs: an instructor's own exercises (docs/exercise-packs.md).",
    ),
    "prairielearn": Lazy(
        "grader.cli.platforms", "prairielearn",
        "Grade PrairieLearn's /grade layout into /grade/results/results.json.",
    ),
    "init": Lazy(
        "grader.cli.platforms", "init",
        "Write the files PLATFORM needs into FOLDER (default: here).",
    ),
    "serve": Lazy(
        "grader.cli.serve", "serve",
        "Serve submissions over HTTP: `grade serve --data DIR --assignment hw1.toml`.",
    ),
}  # fmt: skip


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="matgrade")
def cli() -> None:
    """Grade matrix-calculus exercises: `grade submission.py` checks every function in it.

    matgrade calls your functions on inputs that Hypothesis generates, compares them with a
    reference and with the identities of the calculus, and shows the smallest input on which
    each identity fails.

    Scoring: an exercise scores its points only when every identity holds on every input;
    otherwise 0, unless an assignment sets partial_credit = true: then a failing exercise
    scores points * k / (n + 1) for k of its n result parts right on every input.
    """


def main() -> None:
    """The console-script entry point."""
    cli(prog_name="grade")
