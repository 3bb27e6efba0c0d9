"""The batch's records: one stamp per student graded, and the gradebook built from them.

A batch process that graded a student writes, after the student's reports, the stamp
`.matgrade-batch.json`: the hash of the submission and settings it vouches for, and the
row the gradebook shows (status, score, exercise scores, first error line).  The parent
builds every row from stamps and never reads a report back.  Every file is written whole
or not at all (`write_atomic`).

The gradebook's text cells (student, status, message, folder, the header) are neutralised
against CSV injection by OWASP's rule (`cell`): one that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return gets a leading `'`, so that a spreadsheet shows it as text instead of
running it as a formula.  Score cells are numbers written by matgrade and stay numbers.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.assignment import Assignment
    from grader.batch.survey import Submission
    from grader.report import Report

__all__ = [
    "BROKEN",
    "NOT_GRADED",
    "STAMP",
    "Gradebook",
    "Row",
    "cell",
    "failed_row",
    "read_stamp",
    "row_from_stamp",
    "stamp_text",
    "write_atomic",
    "write_gradebook",
]

STAMP = ".matgrade-batch.json"
_REPORT_STATUSES = ("passed", "incomplete", "failed", "error", "unloadable")  # Report.status
BROKEN = ("invalid", "crashed", "timed-out")  # the batch could not grade the student: exit 1
NOT_GRADED = "not-graded"  # this run has not graded the student (yet): only while running or interrupted
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula (OWASP)


def cell(text: str) -> str:
    """A text cell of the gradebook, neutralised when a spreadsheet would read it as a formula.

    OWASP's rule for CSV injection: a cell starting with `=`, `+`, `-`, `@`, a tab or a
    carriage return is prefixed with a single quote (`=HYPERLINK(...)` -> `'=HYPERLINK(...)`).
    Only for text: a score is a number written by matgrade, never given to this.
    """
    return f"'{text}" if text.startswith(_FORMULA) else text


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the gradebook.

    status: the report's own word (passed | incomplete | failed | error | unloadable), or the
    batch's: crashed, timed-out (the batch process itself), invalid (no single .py or .ipynb
    file), not-graded (interrupted before this student was graded).  `reused` when the stamp
    matched and the student was not graded again.
    """

    student: str
    status: str
    score: float
    max_score: float
    exercises: tuple[tuple[str, float], ...] = ()
    message: str = ""
    reused: bool = False
    folder: str = ""  # the student's folder in OUTDIR ("" when nothing was written for them)


def failed_row(student: str, status: str, assignment: Assignment, message: str) -> Row:
    """The row of a student the batch could not grade (or has not yet): 0 of the assignment's points."""
    return Row(
        student=student,
        status=status,
        score=0.0,
        max_score=sum(e.points for e in assignment.exercises),
        message=message,
    )


def stamp_text(report: Report, fingerprint: str) -> str:
    """The stamp of a student graded into `report`, vouching for the submission and settings hashed."""
    errors = report.all_errors
    record = {
        "hash": fingerprint,
        "status": report.status,
        "exit_code": report.exit_code,
        "score": report.score,
        "max_score": report.max_score,
        "exercises": [[e.name, e.score] for e in report.exercises],
        "message": errors[0].splitlines()[0] if errors else "",
    }
    return json.dumps(record) + "\n"


def read_stamp(folder: Path) -> dict[str, object] | None:
    """The stamp in a student's output folder; None when there is none or it is unreadable."""
    try:
        data = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def row_from_stamp(student: str, stamp: dict[str, object], reused: bool) -> Row:
    """The gradebook row a stamp records; ValueError, KeyError, TypeError when it is not whole."""
    status = stamp["status"]
    if status not in _REPORT_STATUSES:
        raise ValueError(f"unknown status {status!r} in the stamp of {student}")
    exercises = stamp["exercises"]
    if not isinstance(exercises, list):
        raise TypeError(f"exercises of {student}'s stamp is not a list")
    return Row(
        student=student,
        status=str(status),
        score=float(stamp["score"]),  # type: ignore[arg-type]
        max_score=float(stamp["max_score"]),  # type: ignore[arg-type]
        exercises=tuple((str(name), float(score)) for name, score in exercises),
        message=str(stamp["message"]),
        reused=reused,
    )


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all: a temporary file beside it, then os.replace."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # one writer per process
    try:
        with open(temp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_gradebook(path: Path, rows: Sequence[Row], assignment: Assignment) -> None:
    """gradebook.csv: a column per exercise of `assignment`, a line per row; OutputError if unwritable."""
    from grader.errors import OutputError

    names = [e.name for e in assignment.exercises]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["student", "score", "max_score", *names, "status", "message", "folder"]
    writer.writerow([cell(name) for name in header])
    for row in rows:
        scores = dict(row.exercises)
        cells = [f"{scores[n]:g}" if n in scores else "" for n in names]
        writer.writerow(
            [
                cell(row.student),
                f"{row.score:g}",
                f"{row.max_score:g}",
                *cells,
                cell(row.status),
                cell(row.message),
                cell(row.folder),
            ]
        )
    try:
        write_atomic(path, buffer.getvalue())
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


class Gradebook:
    """The rows so far, rewritten to gradebook.csv as they come; a student without one is waiting."""

    def __init__(
        self,
        path: Path,
        submissions: Sequence[Submission],
        assignment: Assignment,
        progress: Callable[[int, int, Row], None] | None,
    ) -> None:
        self.path = path
        self.submissions = submissions
        self.assignment = assignment
        self.progress = progress
        self.rows: dict[str, Row] = {}
        # Where each student's reports go; none for a submission that cannot be graded.
        self.folders = {s.student: s.folder if s.path is not None else "" for s in submissions}

    def save(self, waiting: str) -> tuple[Row, ...]:
        """Write the gradebook, `waiting` the message of each student without a row; its rows."""
        ordered = tuple(
            self.rows.get(s.student)
            or replace(
                failed_row(s.student, NOT_GRADED, self.assignment, waiting), folder=self.folders[s.student]
            )
            for s in self.submissions
        )
        write_gradebook(self.path, ordered, self.assignment)
        return ordered

    def finish(self, row: Row, write: bool = True) -> None:
        """Record `row` (rewriting the gradebook when `write`) and tell `progress`."""
        row = replace(row, folder=self.folders.get(row.student, ""))
        self.rows[row.student] = row
        if write:
            self.save("not graded yet")
        if self.progress is not None:
            self.progress(len(self.rows), len(self.submissions), row)
