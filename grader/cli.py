"""The `grade` command: a thin click layer over grader.grading; heavy imports inside commands.

`grade FILE` is short for `grade check FILE`.  GraderErrors are turned into a message and
exit code 2 here, once; a report's own exit code is 0 (all attempted passed), 1 (something
failed) or 2 (the submission could not be loaded).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from grader import __version__
from grader.errors import GraderError

__all__ = ["main"]


class _DefaultGroup(click.Group):
    """A group whose first argument, when it is not a command, is a file for `check`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="matgrade")
def cli() -> None:
    """Grade matrix-calculus exercises: `grade submission.py` checks every function in it.

    matgrade calls your functions on inputs that Hypothesis generates, compares them with a
    reference and with the identities of the calculus, and shows the smallest input on which
    each identity fails.
    """


@cli.command()
@click.argument("submission", type=click.Path(dir_okay=True, path_type=str))
@click.option("--seed", type=int, default=None, help="Seed of the generated inputs (default: fixed).")
@click.option(
    "--examples",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Generated inputs per exercise.",
)
@click.option("--only", multiple=True, metavar="NAME", help="Check only this exercise or set (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the report to this file instead of the terminal.",
)
@click.option("--verbose", "-v", is_flag=True, help="Also list passing identities and notes.")
@click.option("--colour/--no-colour", "colour", default=None, help="Colour the text report.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.01),
    default=2.0,
    show_default=True,
    help="Seconds one call of a student function may take.",
)
@click.option(
    "--memory",
    type=click.IntRange(min=64),
    default=1024,
    show_default=True,
    help="Memory limit of the student's process, MiB.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Grader processes (each with its own worker).",
)
def check(
    submission: str,
    seed: int | None,
    examples: int,
    only: tuple[str, ...],
    fmt: str,
    output: str | None,
    verbose: bool,
    colour: bool | None,
    timeout: float,
    memory: int,
    jobs: int,
) -> None:
    """Grade SUBMISSION, a .py file defining the exercise functions."""
    from grader.grading import DEFAULT_SEED, Options, grade
    from grader.sandbox import Limits

    options = Options(
        seed=DEFAULT_SEED if seed is None else seed,
        examples=examples,
        only=only,
        limits=Limits(call_seconds=timeout, memory_mb=memory),
        jobs=jobs,
    )
    try:
        report = grade(submission, options)
    except GraderError as exc:
        _fail(exc)
    if fmt == "json":
        from grader.render.json import render_json

        text = render_json(report)
    else:
        from grader.render.text import render_text

        use_colour = colour if colour is not None else (output is None and sys.stdout.isatty())
        text = render_text(report, colour=use_colour, verbose=verbose)
    _emit(text, output)
    sys.exit(report.exit_code)


@cli.command(name="list")
def list_() -> None:
    """List the exercise sets and the functions a submission may define."""
    from exercises import SETS, all_exercises

    exercises = all_exercises()
    for name in SETS:
        members = [e for e in exercises if e.set == name]
        click.echo(f"{name} ({len(members)})")
        for exercise in members:
            click.echo(f"  {exercise.signature:<42} {', '.join(exercise.catalogue)}")
    click.echo(f"\n{len(exercises)} exercises in {len(SETS)} sets; grade FILE checks those FILE defines.")


def _emit(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        _fail(GraderError(f"cannot write {output}: {exc.strerror}"))


def _fail(exc: GraderError) -> Any:
    click.echo(f"grade: {exc}", err=True)
    sys.exit(exc.exit_code)


def main() -> None:
    """The console-script entry point."""
    cli(prog_name="grade")


if __name__ == "__main__":
    main()
