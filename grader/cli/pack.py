"""`grade pack check PACK`: an exercise pack's references judged before any student is graded."""

from __future__ import annotations

import sys

import click

from grader.cli.output import fail
from grader.errors import GraderError

__all__ = ["pack"]


@click.group()
def pack() -> None:
    """Exercise packs: an instructor's own exercises (docs/exercise-packs.md)."""


@pack.command(name="check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--examples",
    type=click.IntRange(min=1, max=5_000),
    default=200,
    show_default=True,
    help="Generated inputs per exercise.",
)
def check(path: str, examples: int) -> None:
    """Check every reference of the pack PATH against finite differences of its primal.

    Where an exercise gives both a sympy primal and a numpy derivative, the two must agree
    too; every reference must have the shapes K1 and K2 state.  Exits 0 when every reference
    holds, 1 when one is refused (its exercise, what disagreed and the input are printed),
    2 when the pack cannot be loaded.
    """
    from grader.pack import load_pack
    from grader.pack.verify import verify_exercise

    try:
        loaded = load_pack(path, verify=False)
    except GraderError as exc:
        fail(exc)
    refused = 0
    count = len(loaded.exercises)
    click.echo(f"pack {loaded.name} ({loaded.path}): {count} exercise{'' if count == 1 else 's'}")
    for exercise in loaded.exercises:
        verdict = verify_exercise(exercise, examples)
        if verdict.ok:
            click.echo(f"  ok       {exercise.name}: the reference holds on {verdict.checked} inputs")
            continue
        refused += 1
        click.echo(f"  REFUSED  {exercise.name}: {verdict.message}")
        for name, value in (verdict.inputs or {}).items():
            click.echo(f"             {name} = {value}")
    if refused:
        click.echo(f"{refused} reference(s) refused: fix them before grading students with this pack")
    sys.exit(1 if refused else 0)
