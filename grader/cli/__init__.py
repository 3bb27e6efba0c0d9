"""The `grade` command: a thin click layer over the library; heavy imports inside commands.

One module per command or family: `check` (`grade SUBMISSION`), `catalogue` (`list`,
`start`), `batches` (`batch`), `report` (`report`: the class report of a batch), `autograder`
(`bundle`), `doctor` (`doctor`).  Beside them: `routing` makes
`grade FILE` short for `grade check FILE`; `options` holds the shared options and what they
change in grading's Options; `output` decides colour and width, writes reports and turns a
GraderError into a message and exit code 2, once; `progress` is the terminal's progress line.

Importing this package imports click and the commands' declarations only: `grade --help`
loads neither numpy, sympy, hypothesis nor nbformat (tests/grader/test_startup.py).
"""

from __future__ import annotations

import click

from grader import __version__
from grader.cli import autograder, batches, catalogue, check, doctor, pack, platforms, report, serve
from grader.cli.routing import DefaultGroup

__all__ = ["cli", "main"]


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


for _command in (
    check.check,
    batches.batch,
    report.report,
    autograder.bundle,
    catalogue.list_,
    catalogue.start,
    doctor.doctor,
    pack.pack,
    platforms.prairielearn,
    platforms.init,
    serve.serve,
):
    cli.add_command(_command)


def main() -> None:
    """The console-script entry point."""
    cli(prog_name="grade")
