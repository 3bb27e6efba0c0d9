"""OUTDIR/mistakes.csv: one row per (student, exercise, identity, mistake), for pandas or a spreadsheet.

A row for every identity a student's exercise failed or raised on; `mistake` is its named
mistake (docs/report.md, "Diagnoses"), empty when none is recognised.  Text cells are
neutralised against CSV injection as the gradebook's are (`grader.batch.gradebook.cell`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.classreport.roster import Roster

__all__ = ["HEADER", "mistakes_csv", "write_mistakes"]

HEADER = ("student", "folder", "exercise", "identity", "kind", "status", "mistake", "message")


def mistakes_csv(roster: Roster) -> str:
    """The text of mistakes.csv for `roster`, students in gradebook order."""
    from grader.batch.gradebook import cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for record in roster.students:
        for failure in record.failures:
            first = failure.message.splitlines()[0] if failure.message else ""
            writer.writerow(
                [
                    cell(record.student),
                    cell(record.folder),
                    cell(failure.exercise),
                    cell(failure.identity),
                    failure.category,
                    failure.status,
                    failure.diagnosis or "",
                    cell(first),
                ]
            )
    return buffer.getvalue()


def write_mistakes(path: Path, roster: Roster) -> None:
    """Write mistakes.csv whole or not at all."""
    from grader.batch.gradebook import write_atomic

    write_atomic(path, mistakes_csv(roster))
