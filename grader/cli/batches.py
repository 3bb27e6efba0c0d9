"""`grade batch SUBMISSIONS -o OUTDIR`: a folder of submissions graded into a gradebook.

Progress goes to stderr, one line per student (rewritten in place on a terminal); the
summary goes to stdout.  The exit codes are grader.batch's (its `exit_code`), 2 for a
GraderError.  A student's name comes from a file name, which may hold terminal escape codes:
every name shown is passed through `printable` first.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from grader.cli.options import (
    MAX_EXAMPLES,
    assignment_option,
    examples_option,
    format_option,
    limit_options,
    load,
    override,
    pack_option,
    trusted_option,
)
from grader.cli.output import fail
from grader.errors import GraderError

if TYPE_CHECKING:
    from grader.batch import BatchResult
    from grader.grading import Options

__all__ = ["batch", "printable", "summary"]


@click.command()
@click.argument("submissions", type=click.Path(file_okay=False, exists=True, path_type=str))
@assignment_option()
@click.option(
    "--output",
    "-o",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=str),
    help="The folder for gradebook.csv and one folder of reports per student.",
)
@format_option("Also write this format into each student's folder (repeatable; report.json always).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Submissions graded at once; with --dask, the LocalCluster's workers.  "
    "[default: the number of CPUs]",
)
@click.option(
    "--dask",
    "local_dask",
    is_flag=True,
    help="Grade on a Dask LocalCluster of --jobs worker processes (needs matgrade[dask]).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Grade on the Dask cluster of this scheduler, e.g. tcp://HOST:8786 (needs matgrade[dask] "
    "here and on every worker, the same version).",
)
@examples_option(f"Override the assignment's (at most {MAX_EXAMPLES:,}).")
@limit_options
@trusted_option("the students' code")
@pack_option
def batch(
    submissions: str,
    assignment: str | None,
    outdir: str,
    fmts: tuple[str, ...],
    jobs: int | None,
    local_dask: bool,
    scheduler: str | None,
    examples: int | None,
    timeout: float | None,
    memory: int | None,
    cell_timeout: float | None,
    trusted: bool,
    packs: tuple[str, ...] = (),
) -> None:
    """Grade every submission in SUBMISSIONS into OUTDIR/gradebook.csv.

    SUBMISSIONS holds one .py file or .ipynb notebook per student, or one folder per student
    with one such file; anything else in it is listed as ignored.  OUTDIR may lie inside
    SUBMISSIONS (it is not graded) but not be SUBMISSIONS.  Students whose file and settings
    have not changed since the last run are not graded again.  At the end it writes
    OUTDIR/class-report.html (open it in a browser) and OUTDIR/mistakes.csv, which
    `grade report OUTDIR` rebuilds later without grading.  Exits 0 when every student was
    graded (whatever their score), 1 when one was invalid or its grading crashed or timed
    out, 2 for a usage error, an empty folder or an OUTDIR that cannot be written, 130 on
    Ctrl-C (the gradebook keeps what was graded; run the command again to continue).
    With --dask or --scheduler the students are graded on a Dask cluster into the same files;
    a scheduler that cannot be reached or goes away exits 2, and the command run again
    continues.
    """
    from grader.batch import Row, grade_batch
    from grader.batch.cluster import Cluster
    from grader.errors import UsageError

    cluster = None
    if local_dask and scheduler is not None:
        fail(UsageError("give --dask (a cluster on this machine) or --scheduler ADDRESS, not both"))
    if scheduler is not None:
        cluster = Cluster(address=scheduler)
    elif local_dask:
        import os

        cluster = Cluster(workers=jobs or os.cpu_count() or 1)

    def adjust(options: Options) -> Options:
        return override(options, examples=examples, timeout=timeout, memory=memory, cell_timeout=cell_timeout)

    tty = sys.stderr.isatty()
    shown = [0]  # progress lines written; on a terminal the last one is not yet ended

    def progress(done: int, total: int, row: Row) -> None:
        how = "unchanged" if row.reused else row.status
        line = f"[{done}/{total}] {printable(row.student)}: {how} {row.score:g}/{row.max_score:g}"
        shown[0] += 1
        if tty:
            click.echo(f"\r\x1b[K{line}", nl=done == total, err=True)
        else:
            click.echo(line, err=True)

    def notice(message: str) -> None:
        click.echo(f"grade: {printable(message)}", err=True)

    try:
        from grader.assignment import with_packs
        from grader.grading import DEFAULT_SEED

        result = grade_batch(
            submissions,
            outdir,
            with_packs(load(assignment), packs, DEFAULT_SEED),
            formats=fmts,
            jobs=jobs,
            adjust=adjust,
            progress=progress,
            notice=notice,
            trusted=trusted,
            cluster=cluster,
        )
    except GraderError as exc:
        if tty and shown[0]:
            click.echo(err=True)
        fail(exc)
    click.echo(summary(result))
    sys.exit(result.exit_code)


def summary(result: BatchResult) -> str:
    """`N submissions (k passed, ...; u unchanged) -> gradebook`, what was ignored, the class report."""
    from grader.batch import BROKEN

    order = ("passed", "incomplete", "failed", "error", "unloadable", *BROKEN)
    counts = {status: sum(1 for row in result.rows if row.status == status) for status in order}
    reused = sum(1 for row in result.rows if row.reused)
    listed = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    lines = [f"{len(result.rows)} submissions ({listed}; {reused} unchanged) -> {result.gradebook}"]
    lines += [f"ignored {printable(entry.name)}: {entry.reason}" for entry in result.ignored]
    if result.class_report is not None:
        from grader.cli.report import mistakes_lines

        lines.append(f"class report -> {result.class_report.page}")
        lines += mistakes_lines(result.class_report.figures)
    return "\n".join(lines)


def printable(text: str) -> str:
    """`text` with every control or invisible character (ESC, CR, bidi overrides) shown escaped."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
