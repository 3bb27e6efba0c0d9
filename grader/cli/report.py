"""`grade report OUTDIR`: the class report of a batch output folder, rebuilt without regrading.

Writes OUTDIR/class-report.html and OUTDIR/mistakes.csv from OUTDIR/gradebook.csv and each
student's report.json (grader.classreport), then prints where they are and the three most
common mistakes.  Exit 0, or 2 for a GraderError (no gradebook, a folder that cannot be written).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from grader.cli.output import fail
from grader.errors import GraderError

if TYPE_CHECKING:
    from grader.classreport import ClassFigures

__all__ = ["mistakes_lines", "report"]


@click.command()
@click.argument("outdir", type=click.Path(file_okay=False, exists=True, path_type=str))
def report(outdir: str) -> None:
    """Write OUTDIR/class-report.html and OUTDIR/mistakes.csv from a `grade batch` output folder.

    Nobody is graded again: the page is built from OUTDIR/gradebook.csv and the students'
    report.json files.  Open the page in a browser; it needs no network.
    """
    from grader.classreport import write_class_report

    try:
        written = write_class_report(outdir)
    except GraderError as exc:
        fail(exc)
    click.echo(f"class report -> {written.page}")
    click.echo(f"mistakes -> {written.mistakes}")
    for line in mistakes_lines(written.figures):
        click.echo(line)


def mistakes_lines(found: ClassFigures) -> list[str]:
    """The three most common named mistakes of the class, a line each (none when there are none)."""
    from grader.classreport import top_mistakes
    from grader.cli.batches import printable

    top = top_mistakes(found)
    if not top:
        return []
    lines = ["most common mistakes:"]
    lines += [
        f"  {printable(m.exercise)}: {printable(m.name)} ({m.count} students, "
        f"{100 * m.share:.0f}% of those who attempted it)"
        for m in top
    ]
    return lines
