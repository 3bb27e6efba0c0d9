"""The `grade` command: a thin click layer over grader.grading; heavy imports inside commands.

`grade FILE` is short for `grade check FILE`, and its usage and errors say `grade SUBMISSION`,
as typed.  GraderErrors are turned into a message and exit code 2 here, once; a report's own
exit code is 0 (all attempted passed), 1 (something failed) or 2 (the submission could not
be loaded: its error is printed once, on stderr, instead of a text report).

The terminal's conventions are decided here, once, for every command that prints a report:
colour (--colour/--no-colour, else NO_COLOR, else FORCE_COLOR, else whether stdout is a
terminal that is not TERM=dumb) and width (COLUMNS, else the terminal's, else 80).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

from grader import __version__
from grader.errors import GraderError, UsageError

if TYPE_CHECKING:
    from grader.assignment import Assignment
    from grader.batch import BatchResult
    from grader.grading import Options

__all__ = ["main"]


_IMPLICIT = "matgrade.implicit_check"  # ctx.meta key: `grade FILE` was typed, not `grade check FILE`


class _DefaultGroup(click.Group):
    """A group whose first argument, when it is not a command, is a file for `check`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `grade hw.py ...` and `grade --seed 3 hw.py`: anything but a command or the group's
        # own options (--help, --version) is for `check`.
        own = {"--version", *self.get_help_option_names(ctx)}
        if args and args[0] not in self.commands and args[0] not in own:
            ctx.meta[_IMPLICIT] = True
            args = ["check", *args]
        return super().parse_args(ctx, args)


class _FileContext(click.Context):
    """The context of `check`, named `grade SUBMISSION` when the user typed `grade FILE`."""

    @property
    def command_path(self) -> str:
        if self.meta.get(_IMPLICIT) and self.parent is not None:
            # The usage line and "Try '... --help'" then name what the user typed.
            return f"{self.parent.command_path} SUBMISSION"
        return super().command_path


class _FileCommand(click.Command):
    """`check`: its usage reads `grade SUBMISSION [OPTIONS]` when called as `grade FILE`."""

    context_class = _FileContext

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        if ctx.meta.get(_IMPLICIT):
            return [piece for piece in pieces if piece != "SUBMISSION"]
        return pieces


_MIN_WIDTH = 40  # narrower, a hanging indent leaves too little room for the text


def _colour(flag: bool | None) -> bool:
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


def _width() -> int:
    """The columns to wrap the terminal's text to: COLUMNS, else the terminal's, else 80.

    80 when stdout is not a terminal (a pipe, a file) and COLUMNS is not set; at least 40.
    """
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if (columns.isdigit() and int(columns) > 0) or sys.stdout.isatty():
        return max(_MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)
    return 80


def _unloadable(errors: tuple[str, ...]) -> None:
    """Say once, on stderr, why a submission could not be loaded (instead of a text report)."""
    for error in errors:
        click.echo(f"grade: {error}", err=True)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


_FORMATS = ("text", "json", "gradescope", "junit", "github", "markdown")  # grader.render.FORMATS
_MAX_EXAMPLES = 5_000  # grader.grading.MAX_EXAMPLES (kept here so that --help imports no grading)
_EXAMPLES = click.IntRange(min=1, max=_MAX_EXAMPLES)


_Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _format_option(help_text: str) -> _Decorator:
    return click.option(
        "--format",
        "fmts",
        type=click.Choice(_FORMATS),
        multiple=True,
        help=help_text,
    )


def _assignment_option() -> _Decorator:
    return click.option(
        "--assignment",
        type=click.Path(dir_okay=False, path_type=str),
        default=None,
        help="An assignment file (TOML): exercises, points, limits, seed policy, visibility.",
    )


_seed_option = click.option(
    "--seed", type=int, default=None, help="Seed of the generated inputs (default: fixed)."
)
_jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Grader processes (each with its own worker).",
)


def _limit_options(function: Callable[..., Any]) -> Callable[..., Any]:
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


@cli.command(cls=_FileCommand)
@click.argument("submission", type=click.Path(dir_okay=True, path_type=str))
@_seed_option
@click.option(
    "--examples",
    type=_EXAMPLES,
    default=None,
    help=f"Generated inputs per exercise, at most {_MAX_EXAMPLES:,}.  [default: 100]",
)
@click.option("--only", multiple=True, metavar="NAME", help="Check only this exercise or set (repeatable).")
@_format_option(
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
@_assignment_option()
@click.option(
    "--student",
    default=None,
    help='The student, for an assignment with seed = "student" (default: the file name stem).',
)
@click.option("--verbose", "-v", is_flag=True, help="Also list passing identities and notes.")
@click.option("--colour/--no-colour", "colour", default=None, help="Colour the text report.")
@_limit_options
@_jobs_option
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
) -> None:
    """Grade SUBMISSION, a .py file or a .ipynb notebook defining the exercise functions.

    Several reports come from one run: `--format json -o r.json --format junit -o r.xml`.
    A last --format without an --output goes to the terminal.
    """
    from pathlib import Path

    from grader.exercise import select_exercises
    from grader.grading import grade

    try:
        targets = _pair(fmts, outputs)
        loaded = _load(assignment)
        if loaded is not None and only:
            raise UsageError("--only cannot be combined with --assignment; edit the assignment")
        name = student or Path(submission).stem
        options = _options(
            loaded,
            name,
            seed=seed,
            examples=examples,
            timeout=timeout,
            memory=memory,
            cell_timeout=cell_timeout,
        )
        options = replace(options, jobs=jobs, only=only or options.only)
        progress = _Progress(len(select_exercises(options.only))) if sys.stderr.isatty() else None
        try:
            report = grade(submission, options, progress)
        finally:
            if progress is not None:
                progress.finish()  # before any message, so that it starts a clean line
    except GraderError as exc:
        _fail(exc)
    from grader.render import render

    if not report.loaded:
        _unloadable(report.errors)
    for fmt, output in targets:
        terminal = output is None
        if terminal and fmt == "text" and not report.loaded:
            continue  # the error said it all; a file or another format still gets its report
        use_colour = _colour(colour) if terminal else bool(colour)
        text = render(
            report,
            fmt,
            colour=use_colour,
            verbose=verbose,
            visibility=None if loaded is None else loaded.visibilities,
            default_visibility="visible" if loaded is None else loaded.visibility,
            width=_width() if terminal else None,
        )
        _emit(text, output, colour=use_colour)
    sys.exit(report.exit_code)


class _Progress:
    """A line on stderr, a terminal, counting graded exercises; drawn once grading takes a while.

    It appears after MATGRADE_PROGRESS_DELAY seconds (default 2; the tests set 0) and is
    erased by `finish`, so that nothing of it stays above the report.
    """

    def __init__(self, total: int) -> None:
        import threading

        self.total = total
        self.done = 0
        self.last = ""
        self.shown = False
        self.finished = False
        self.lock = threading.Lock()
        try:
            delay = float(os.environ.get("MATGRADE_PROGRESS_DELAY", "2"))
        except ValueError:
            delay = 2.0
        self.timer = threading.Timer(delay, self._show)
        self.timer.daemon = True
        if delay <= 0:
            self._show()
        else:
            self.timer.start()

    def __call__(self, name: str) -> None:
        with self.lock:
            self.done += 1
            self.last = name
            if self.shown:
                self._draw()

    def _show(self) -> None:
        with self.lock:
            if not self.finished:
                self.shown = True
                self._draw()

    def _draw(self) -> None:
        line = f"grading: {self.done}/{self.total} exercises"
        if self.last:
            line += f" (last: {self.last})"
        click.echo(f"\r\x1b[K{line}", nl=False, err=True)

    def finish(self) -> None:
        self.timer.cancel()
        with self.lock:
            if self.shown:
                click.echo("\r\x1b[K", nl=False, err=True)
            self.shown = False
            self.finished = True


def _pair(fmts: tuple[str, ...], outputs: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Pair formats with outputs by position; one format more than outputs goes to stdout."""
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


def _load(path: str | None) -> Assignment | None:
    if path is None:
        return None
    from grader.assignment import load_assignment

    return load_assignment(path)


def _options(
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
    return _override(
        options, seed=seed, examples=examples, timeout=timeout, memory=memory, cell_timeout=cell_timeout
    )


def _override(
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


@cli.command()
@click.argument("submissions", type=click.Path(file_okay=False, exists=True, path_type=str))
@_assignment_option()
@click.option(
    "--output",
    "-o",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=str),
    help="The folder for gradebook.csv and one folder of reports per student.",
)
@_format_option("Also write this format into each student's folder (repeatable; report.json always).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Submissions graded at once.  [default: the number of CPUs]",
)
@click.option(
    "--examples",
    type=_EXAMPLES,
    default=None,
    help=f"Override the assignment's (at most {_MAX_EXAMPLES:,}).",
)
@_limit_options
def batch(
    submissions: str,
    assignment: str | None,
    outdir: str,
    fmts: tuple[str, ...],
    jobs: int | None,
    examples: int | None,
    timeout: float | None,
    memory: int | None,
    cell_timeout: float | None,
) -> None:
    """Grade every submission in SUBMISSIONS into OUTDIR/gradebook.csv.

    SUBMISSIONS holds one .py file or .ipynb notebook per student, or one folder per student
    with one such file; anything else in it is listed as ignored.  OUTDIR may lie inside
    SUBMISSIONS (it is not graded) but not be SUBMISSIONS.  Students whose file and settings
    have not changed since the last run are not graded again.  Exits 0 when every student was
    graded (whatever their score), 1 when one was invalid or its grading crashed or timed
    out, 2 for a usage error, an empty folder or an OUTDIR that cannot be written, 130 on
    Ctrl-C (the gradebook keeps what was graded; run the command again to continue).
    """
    from grader.batch import Row, grade_batch

    def adjust(options: Options) -> Options:
        return _override(
            options, examples=examples, timeout=timeout, memory=memory, cell_timeout=cell_timeout
        )

    tty = sys.stderr.isatty()
    shown = [0]  # progress lines written; on a terminal the last one is not yet ended

    def progress(done: int, total: int, row: Row) -> None:
        how = "unchanged" if row.reused else row.status
        line = f"[{done}/{total}] {row.student}: {how} {row.score:g}/{row.max_score:g}"
        shown[0] += 1
        if tty:
            click.echo(f"\r\x1b[K{line}", nl=done == total, err=True)
        else:
            click.echo(line, err=True)

    def notice(message: str) -> None:
        click.echo(f"grade: {message}", err=True)

    try:
        result = grade_batch(
            submissions,
            outdir,
            _load(assignment),
            formats=fmts,
            jobs=jobs,
            adjust=adjust,
            progress=progress,
            notice=notice,
        )
    except GraderError as exc:
        if tty and shown[0]:
            click.echo(err=True)
        _fail(exc)
    click.echo(_batch_summary(result))
    sys.exit(result.exit_code)


def _batch_summary(result: BatchResult) -> str:
    """`N submissions (k passed, ...; u unchanged) -> gradebook`, then what was ignored."""
    from grader.batch import BROKEN

    order = ("passed", "incomplete", "failed", "error", "unloadable", *BROKEN)
    counts = {status: sum(1 for row in result.rows if row.status == status) for status in order}
    reused = sum(1 for row in result.rows if row.reused)
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    lines = [f"{len(result.rows)} submissions ({summary}; {reused} unchanged) -> {result.gradebook}"]
    lines += [f"ignored {entry.name}: {entry.reason}" for entry in result.ignored]
    return "\n".join(lines)


@cli.command()
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
def bundle(platform: str, assignment: str, output: str) -> None:
    """Write the autograder zip of PLATFORM (gradescope) for an assignment.

    The zip holds setup.sh, which installs matgrade from a copy of its source inside the
    zip, and run_autograder, which grades a submission into results/results.json and
    always leaves a valid one.  Upload it as the assignment's autograder.
    """
    from grader.bundle import build_gradescope_bundle

    try:
        made = build_gradescope_bundle(assignment, output)
    except GraderError as exc:
        _fail(exc)
    exercises = made.assignment.exercises
    points = sum(e.points for e in exercises)
    plural = "" if len(exercises) == 1 else "s"
    click.echo(
        f"{made.path}: {platform} autograder for {len(exercises)} exercise{plural}, {points:g} points; "
        f"setup.sh, run_autograder and matgrade {__version__} ({made.source_files} files)"
    )


@cli.command(name="list")
@click.argument("submission", required=False, type=click.Path(dir_okay=True, path_type=str))
@_seed_option
@click.option(
    "--examples",
    type=_EXAMPLES,
    default=None,
    help=f"Generated inputs per exercise when grading SUBMISSION, at most {_MAX_EXAMPLES:,}.  [default: 100]",
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
@_limit_options
@_jobs_option
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
        exercises = select_exercises(only)
        report = None
        if submission is not None:
            options = _override(
                Options(),
                seed=seed,
                examples=examples,
                timeout=timeout,
                memory=memory,
                cell_timeout=cell_timeout,
            )
            report = grade(submission, replace(options, jobs=jobs, only=only))
    except GraderError as exc:
        _fail(exc)
    listing = build_listing(exercises, report)
    unloadable = report is not None and not report.loaded
    if report is not None and unloadable:
        _unloadable(report.errors)
    if fmt == "json":
        click.echo(render_listing_json(listing), nl=False)
    elif not unloadable:
        use_colour = _colour(colour)
        text = render_listing_text(listing, colour=use_colour, width=_width())
        click.echo(text, nl=False, color=use_colour)
    sys.exit(2 if unloadable else 0)


@cli.command()
@click.argument("sets", nargs=-1, required=True, metavar="SET...")
@click.option("--notebook", is_flag=True, help="Write a Jupyter notebook (.ipynb) instead of a .py file.")
@click.option(
    "--output",
    "-o",
    default=None,
    type=click.Path(dir_okay=False, path_type=str),
    help="The file to write.  [default: SET.py, or SET.ipynb with --notebook]",
)
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def start(sets: tuple[str, ...], notebook: bool, output: str | None, force: bool) -> None:
    """Write a starter file for the exercise sets SET... (`all` for every set).

    Each exercise gets a stub that raises NotImplementedError (graded as missing until you
    write it) and a docstring with its task, inputs, conventions and the section of the
    sources it comes from.  An existing file is kept unless --force is given.
    """
    from grader.starter import write_starter

    try:
        made = write_starter(sets, output, notebook=notebook, force=force)
    except GraderError as exc:
        _fail(exc)
    count = len(made.exercises)
    plural = "" if len(made.sets) == 1 else "s"
    click.echo(
        f"wrote {made.path}: {count} exercise{'' if count == 1 else 's'} of set{plural} "
        f"{', '.join(made.sets)}.  Write the functions, then: grade {made.path}"
    )


def _emit(text: str, output: str | None, *, colour: bool = False) -> None:
    if output is None:
        # color= keeps click from stripping the colours chosen above when stdout is no terminal.
        click.echo(text, nl=False, color=colour)
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
