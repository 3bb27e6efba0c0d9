"""`grade list` and `grade start`: the exercise catalogue shown, and a starter file written from it."""

from __future__ import annotations

import sys
from dataclasses import replace

import click

from grader.cli.options import (
    MAX_EXAMPLES,
    examples_option,
    jobs_option,
    limit_options,
    override,
    pack_option,
    seed_option,
)
from grader.cli.output import colour_of, fail, say_unloadable, width
from grader.errors import GraderError

__all__ = ["list_", "start"]


@click.command(name="list")
@click.argument("submission", required=False, type=click.Path(dir_okay=True, path_type=str))
@seed_option
@examples_option(
    f"Generated inputs per exercise when grading SUBMISSION, at most {MAX_EXAMPLES:,}.  [default: 100]"
)
@click.option("--only", multiple=True, metavar="NAME", help="List only this exercise or set (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Terminal text or JSON (schema matgrade.list/1).",
)
@click.option("--colour/--no-colour", "colour", default=None, help="Colour the text.")
@limit_options
@jobs_option
@pack_option
def list_(
    submission: str | None,
    seed: int | None,
    examples: int | None,
    only: tuple[str, ...],
    fmt: str,
    colour: bool | None,
    timeout: float | None,
    memory: int | None,
    cell_timeout: float | None,
    jobs: int,
    packs: tuple[str, ...],
) -> None:
    """List the exercise sets: per exercise its signature, section and task.

    With SUBMISSION, grade it first (as `grade SUBMISSION` does, with the same options) and
    show each exercise's status and score: passed, failed, error or missing.  Exits 0, or 2
    when SUBMISSION cannot be loaded; `grade SUBMISSION` gives the details of each failure.
    """
    from grader.exercise import select_exercises
    from grader.grading import Options, grade
    from grader.listing import build_listing, render_listing_json, render_listing_text

    try:
        words = only
        if packs:
            from grader.pack.loading import selection

            words = selection(packs, only)
        exercises = select_exercises(words)
        report = None
        if submission is not None:
            options = override(
                Options(),
                seed=seed,
                examples=examples,
                timeout=timeout,
                memory=memory,
                cell_timeout=cell_timeout,
            )
            report = grade(submission, replace(options, jobs=jobs, only=only, packs=packs))
    except GraderError as exc:
        fail(exc)
    listing = build_listing(exercises, report)
    unloadable = report is not None and not report.loaded
    if report is not None and unloadable:
        say_unloadable(report.errors)
    if fmt == "json":
        click.echo(render_listing_json(listing), nl=False)
    elif not unloadable:
        use_colour = colour_of(colour)
        text = render_listing_text(listing, colour=use_colour, width=width())
        click.echo(text, nl=False, color=use_colour)
    sys.exit(2 if unloadable else 0)


@click.command()
@click.argument("sets", nargs=-1, metavar="SET...")
@click.option("--notebook", is_flag=True, help="Write a Jupyter notebook (.ipynb) instead of a .py file.")
@click.option(
    "--output",
    "-o",
    default=None,
    type=click.Path(dir_okay=False, path_type=str),
    help="The file to write.  [default: SET.py, or SET.ipynb with --notebook]",
)
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@pack_option
def start(
    sets: tuple[str, ...], notebook: bool, output: str | None, force: bool, packs: tuple[str, ...]
) -> None:
    """Write a starter file for the exercise sets SET... (`all` for every set).

    With --pack and no SET, the starter has the pack's exercises.

    Each exercise gets a stub that raises NotImplementedError (graded as missing until you
    write it) and a docstring with its task, inputs, conventions and the section of the
    sources it comes from.  An existing file is kept unless --force is given.
    """
    from grader.starter import write_starter

    try:
        made = write_starter(sets, output, notebook=notebook, force=force, packs=packs)
    except GraderError as exc:
        fail(exc)
    count = len(made.exercises)
    plural = "" if len(made.sets) == 1 else "s"
    click.echo(
        f"wrote {made.path}: {count} exercise{'' if count == 1 else 's'} of set{plural} "
        f"{', '.join(made.sets)}.  Write the functions, then: grade {made.path}"
        + "".join(f" --pack {p}" for p in packs)
    )
