"""`grade bundle gradescope --assignment FILE`: the autograder zip of a platform, written."""

from __future__ import annotations

import click

from grader import __version__
from grader.cli.output import fail
from grader.errors import GraderError

__all__ = ["bundle"]


@click.command()
@click.argument("platform", type=click.Choice(["gradescope"]))
@click.option(
    "--assignment",
    required=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="The assignment file (TOML) to grade submissions against.",
)
@click.option(
    "--output",
    "-o",
    default="autograder.zip",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="The zip to write.",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Put the wheels of matgrade's dependencies in the zip, so that setup.sh needs no network.",
)
@click.option(
    "--python",
    "python",
    default="3.11",
    show_default=True,
    metavar="3.X",
    help="With --offline: the Python version of the autograder image the wheels are for.",
)
def bundle(platform: str, assignment: str, output: str, offline: bool, python: str) -> None:
    """Write the autograder zip of PLATFORM (gradescope) for an assignment.

    The zip holds setup.sh, which installs matgrade from a copy of its source inside the
    zip, and run_autograder, which grades a submission into results/results.json and
    always leaves a valid one.  It grades one regular .py or .ipynb file and refuses a
    symbolic link (scored 0, saying to upload the file itself).  Upload the zip as the
    assignment's autograder.  With --offline the zip also holds the wheels of matgrade's
    dependencies for the image's Python (downloaded now), and setup.sh installs from them
    without a package index.
    """
    from grader.bundle import build_gradescope_bundle

    try:
        made = build_gradescope_bundle(assignment, output, offline=offline, python=python)
    except GraderError as exc:
        fail(exc)
    exercises = made.assignment.exercises
    points = sum(e.points for e in exercises)
    plural = "" if len(exercises) == 1 else "s"
    click.echo(
        f"{made.path}: {platform} autograder for {len(exercises)} exercise{plural}, {points:g} points; "
        f"setup.sh, run_autograder and matgrade {__version__} ({made.source_files} files)"
        + (f", {made.wheels} wheels for Python {python} (offline)" if offline else "")
    )
