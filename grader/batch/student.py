"""One student of a batch: what their batch process does, and the row it leaves behind.

`grade_batch` (grader/batch/__init__.py) forks one process per student with `child` as its
target (so it stays a module-level function): it grades the submission with the batch's
`Grader`, writes OUTDIR/<folder>/ (`write_student`: report.json, the chosen formats, then
the stamp holding the submission's `fingerprint`), and exits 0, or 3 after writing
batch-error.txt (4 when even that cannot be written).  The parent turns the exit code and
the stamp into the student's gradebook row (`collected`), and removes a student's stale
outputs before grading them again (`remove_outputs`).

The submission is read only as a regular file inside the submissions folder, never through
a symbolic link (`grade_one`, `fingerprint`: grader.submission.source.open_submission).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader import __version__
from grader.assignment import Assignment
from grader.batch.gradebook import (
    STAMP,
    Row,
    failed_row,
    read_stamp,
    row_from_stamp,
    stamp_text,
    write_atomic,
)
from grader.render import SUFFIXES, render

if TYPE_CHECKING:
    from grader.batch.survey import Submission as BatchSubmission
    from grader.grading import Options
    from grader.report import Report
    from grader.submission.source import Submission

__all__ = [
    "Grader",
    "Run",
    "child",
    "collected",
    "fingerprint",
    "grade_one",
    "grade_read",
    "read_one",
    "remove_outputs",
    "student_files",
    "unwritable",
    "write_files",
    "write_student",
]

Grader = Callable[[str, "Options"], "Report"]


@dataclass(frozen=True, slots=True)
class Run:
    """What every student of one batch shares: where outputs go, and how they are graded."""

    out: Path
    formats: Sequence[str]
    assignment: Assignment
    grader: Grader
    student_seconds: float | None
    inside: str = "."  # the submissions folder: every submission is read inside it


def grade_one(path: str, options: Options, *, inside: str) -> Report:
    """The batch's grader unless a test fakes one: grade() of the file read inside `inside`.

    The file is read without following links (open_submission); one that cannot be read is
    an unloadable report saying why, as grade() makes.
    """
    return grade_read(path, read_one(path, inside=inside), options)


def read_one(path: str, *, inside: str) -> Submission | str:
    """The submission at `path`, read inside `inside` without following links, or why it cannot be."""
    from grader.errors import SubmissionError
    from grader.submission.source import read_submission

    try:
        return read_submission(path, inside=inside)
    except SubmissionError as exc:
        return str(exc)


def grade_read(path: str, read: Submission | str, options: Options) -> Report:
    """The report of a submission `read_one` read: graded, or unloadable saying why it could not be read.

    Where the bytes were read (the batch process, or the client of a Dask cluster) does not
    change the report: it names `path`, as given.
    """
    from grader.grading import chosen, grade_submission
    from grader.grading.ungraded import unloadable

    if isinstance(read, str):
        return unloadable(path, options.seed, chosen(options), read)
    return grade_submission(read, options)


def child(
    grader: Grader, student: str, path: str, options: Options, folder: Path, run: Run, stamp: str
) -> None:
    """A batch process's target: grade one student into `folder`, then exit 0 (3 or 4 on any error)."""
    os.setsid()  # its own process group, so that a timeout kills everything it started
    signal.signal(signal.SIGINT, signal.default_int_handler)  # not the parent's handler
    try:
        report = grader(path, options)
        write_student(report, folder, run.formats, run.assignment, stamp)
    except BaseException as exc:  # recorded by the parent from the exit code; never re-raised
        if isinstance(exc, OSError) and str(exc.filename or "").startswith(str(folder)):
            what = f"cannot write {student}'s {exc.filename}: {exc.strerror or exc}"
        else:
            what = f"{type(exc).__name__}: {exc}"
        try:
            write_atomic(folder / "batch-error.txt", what + "\n")
        except BaseException:
            os._exit(4)
        os._exit(3)
    os._exit(0)


def fingerprint(
    student: str, path: str, inside: str, options: Options, formats: Sequence[str], assignment: Assignment
) -> str:
    """A hash of the student, the submission's bytes and the settings: version, options, formats, visibility.

    The file is read as grading reads it (a regular file inside `inside`, no link; at most
    as much as a submission may hold, plus one byte).  Raises SubmissionError when it cannot be.
    """
    from grader.submission.notebook import MAX_BYTES
    from grader.submission.source import open_submission

    digest = hashlib.sha256()
    digest.update(f"{student}\0".encode())
    with open_submission(path, inside=inside) as handle:
        digest.update(handle.read(MAX_BYTES + 1))  # the larger limit of the two kinds of file
    # repr of frozen dataclasses lists every field in order: any changed setting changes it.
    visible = f"{assignment.visibilities}|{assignment.visibility}"
    settings = f"{__version__}|{options!r}|{sorted(formats)}|{visible}"
    digest.update(settings.encode())
    for pack in options.packs:  # a pack fixed since the last run grades everyone again
        digest.update(Path(pack).read_bytes())
    return digest.hexdigest()


def remove_outputs(folder: Path) -> None:
    """Remove what a batch wrote for one student, the stamp first (it vouches for the rest)."""
    for name in (STAMP, "batch-error.txt", *SUFFIXES.values()):
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()


def write_student(
    report: Report, folder: Path, formats: Sequence[str], assignment: Assignment, stamp: str
) -> None:
    """Write the student's report in each format, then the stamp that vouches for them.

    Raises OSError naming the file that could not be written (not its temporary twin).
    """
    write_files(folder, student_files(report, formats, assignment, stamp))


def student_files(
    report: Report, formats: Sequence[str], assignment: Assignment, stamp: str
) -> dict[str, str]:
    """The student's files by name: the report in each format (json first), then the stamp, last."""
    files = {
        SUFFIXES[fmt]: render(
            report,
            fmt,
            visibility=assignment.visibilities,
            default_visibility=assignment.visibility,
        )
        for fmt in dict.fromkeys(("json", *formats))
    }
    # The stamp is written last: its presence means every other file is complete.
    files[STAMP] = stamp_text(report, stamp)
    return files


def write_files(folder: Path, files: Mapping[str, str]) -> None:
    """Write `files` into `folder` in their order, each whole or not at all.

    Raises OSError naming the file that could not be written (not its temporary twin).
    """
    target = folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            target = folder / name
            write_atomic(target, text)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from exc


def unwritable(sub: BatchSubmission, exc: OSError, run: Run) -> Row:
    """The row of a student whose output folder cannot be written: it names the file."""
    where = exc.filename or run.out / sub.folder
    return failed_row(
        sub.student,
        "crashed",
        run.assignment,
        f"cannot write {sub.student}'s {where}: {exc.strerror or exc}; free that path and run again",
    )


def collected(student: str, folder: Path, exitcode: int, assignment: Assignment) -> Row:
    """The row of a batch process that has exited: its stamp's, or what killed it."""
    stamp = read_stamp(folder)
    if exitcode == 0 and stamp is not None:
        try:
            return row_from_stamp(student, stamp, False)
        except (ValueError, KeyError, TypeError) as exc:
            return failed_row(student, "crashed", assignment, f"unreadable stamp: {exc}")
    detail = ""
    with contextlib.suppress(OSError):
        detail = (folder / "batch-error.txt").read_text(encoding="utf-8").strip()
    if exitcode == 4:
        reason = f"the batch process could not write {student}'s files in {folder}: check that it is writable"
    elif exitcode < 0:
        reason = f"the batch process was killed by signal {-exitcode}"
    else:
        reason = f"the batch process exited with code {exitcode}"
    return failed_row(student, "crashed", assignment, f"{reason}: {detail}" if detail else reason)
