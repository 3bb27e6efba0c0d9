"""The options several commands share, their help, and what they change in grading's Options.

The help says each default in its own words, so that `--help` imports no grading module:
FORMATS is grader.render.FORMATS and MAX_EXAMPLES is grader.grading.MAX_EXAMPLES, kept here
(a test checks that they agree).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from grader.assignment import Assignment
    from grader.grading import Options

__all__ = [
    "EXAMPLES",
    "FORMATS",
    "MAX_EXAMPLES",
    "assignment_option",
    "examples_option",
    "format_option",
    "jobs_option",
    "limit_options",
    "load",
    "options_for",
    "override",
    "pack_option",
    "seed_option",
    "trusted_option",
]

FORMATS = (  # grader.render.FORMATS
    "text",
    "json",
    "gradescope",
    "junit",
    "github",
    "markdown",
    "html",
    "prairielearn",
)
MAX_EXAMPLES = 5_000  # grader.grading.MAX_EXAMPLES (kept here so that --help imports no grading)
EXAMPLES = click.IntRange(min=1, max=MAX_EXAMPLES)

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def format_option(help_text: str) -> Decorator:
    """--format, repeatable, one of FORMATS; the command says what it does with them."""
    return click.option(
        "--format",
        "fmts",
        type=click.Choice(FORMATS),
        multiple=True,
        help=help_text,
    )


def trusted_option(whose: str) -> Decorator:
    """--trusted: grade even where this machine cannot isolate the code enough (`grade doctor`)."""
    return click.option(
        "--trusted",
        is_flag=True,
        help=f"Run {whose} even where matgrade cannot isolate it enough (see `grade doctor`): "
        "only for code you trust.",
    )


def assignment_option() -> Decorator:
    """--assignment FILE, optional."""
    return click.option(
        "--assignment",
        type=click.Path(dir_okay=False, path_type=str),
        default=None,
        help="An assignment file (TOML): exercises, points, limits, seed policy, visibility.",
    )


def examples_option(help_text: str) -> Decorator:
    """--examples, bounded by MAX_EXAMPLES; the command says what the number is for."""
    return click.option("--examples", type=EXAMPLES, default=None, help=help_text)


pack_option = click.option(
    "--pack",
    "packs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="An exercise pack (an instructor's .py file, docs/exercise-packs.md) whose exercises "
    "join the catalogue; without --only, only they are checked (repeatable).",
)
seed_option = click.option(
    "--seed", type=int, default=None, help="Seed of the generated inputs (default: fixed)."
)
jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Grader processes (each with its own worker).",
)


def limit_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """--memory, --timeout and --cell-timeout, each None unless given."""
    function = click.option(
        "--cell-timeout",
        type=click.FloatRange(min=0.01),
        default=None,
        help="Seconds one notebook cell may run.  [default: 10]",
    )(function)
    function = click.option(
        "--timeout",
        type=click.FloatRange(min=0.01),
        default=None,
        help="Seconds one call of a student function may take.  [default: 2]",
    )(function)
    return click.option(
        "--memory",
        type=click.IntRange(min=64),
        default=None,
        help="Memory limit of the student's process, MiB.  [default: 1024]",
    )(function)


def load(path: str | None) -> Assignment | None:
    """The assignment of --assignment, or None when it was not given.

    Raises GraderError when the file cannot be read or is not a valid assignment.
    """
    if path is None:
        return None
    from grader.assignment import load_assignment

    return load_assignment(path)


def options_for(
    assignment: Assignment | None,
    student: str,
    *,
    seed: int | None,
    examples: int | None,
    timeout: float | None,
    memory: int | None,
    cell_timeout: float | None,
) -> Options:
    """The options of one run: the assignment's (or the defaults), then the options given."""
    from grader.grading import Options

    options = Options() if assignment is None else assignment.options(student)
    return override(
        options, seed=seed, examples=examples, timeout=timeout, memory=memory, cell_timeout=cell_timeout
    )


def override(
    options: Options,
    *,
    seed: int | None = None,
    examples: int | None = None,
    timeout: float | None = None,
    memory: int | None = None,
    cell_timeout: float | None = None,
) -> Options:
    """`options` with each setting that was given on the command line replaced."""
    limits = options.limits
    return replace(
        options,
        seed=options.seed if seed is None else seed,
        examples=options.examples if examples is None else examples,
        limits=replace(
            limits,
            call_seconds=limits.call_seconds if timeout is None else timeout,
            memory_mb=limits.memory_mb if memory is None else memory,
            cell_seconds=limits.cell_seconds if cell_timeout is None else cell_timeout,
        ),
    )
