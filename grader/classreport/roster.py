"""The class as a batch output folder records it: gradebook.csv and each student's report.json.

`gather(outdir)` reads them into frozen records, without grading anyone.  The gradebook gives
the rows (one per student, in its order, with the batch's statuses); each graded student's
report.json gives what the gradebook does not: which exercises were attempted, which identity
failed, the named mistake and its smallest counterexample.  A report that is missing or cannot
be read leaves that student with their gradebook row only (listed in `Roster.unreadable`).

A folder name comes from the gradebook's `folder` column; only a plain name (no separator, not
`.` or `..`) is ever joined to `outdir`, and a report is never read through a symbolic link.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.report import Counterexample

__all__ = [
    "CATEGORIES",
    "REPORT_STATUSES",
    "Attempt",
    "Failure",
    "Roster",
    "StudentRecord",
    "category_of",
    "gather",
]

REPORT_STATUSES = ("passed", "incomplete", "failed", "error", "unloadable")  # a student with a report
# The kinds of identity the exercise x identity matrix has a column for, in its order.
CATEGORIES = ("runs", "shape", "reference", "finite differences", "structural facts", "K3")
_GRADEBOOK_TAIL = ("status", "message", "folder")


def category_of(identity: str) -> str:
    """Which column of CATEGORIES an identity's name falls in."""
    if "(K3)" in identity:
        return "K3"
    if identity.startswith("returns results of the shape"):
        return "shape"
    if "reference" in identity:
        return "reference"
    if "finite differences" in identity:
        return "finite differences"
    if identity in ("runs without raising",) or identity.startswith("gives the same answer"):
        return "runs"
    return "structural facts"


@dataclass(frozen=True, slots=True)
class Failure:
    """One identity one student's exercise failed (or raised on), with its named mistake."""

    student: str
    exercise: str
    identity: str
    status: str  # failed | error
    diagnosis: str | None
    message: str
    counterexample: Counterexample | None

    @property
    def category(self) -> str:
        return category_of(self.identity)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One exercise of one student's report: its status and score, and each kind of identity checked.

    `checked` holds (category, failed) for each category evaluated at least once (an identity
    passed, failed or raised); `failed` when one of its identities failed or raised.  `runs`
    is checked on every exercise attempted: its identities are in a report only when they fail.
    """

    exercise: str
    status: str  # passed | failed | error | missing
    score: float
    max_score: float
    checked: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class StudentRecord:
    """One student: their gradebook row, and what their report adds when there is one."""

    student: str
    status: str
    score: float
    max_score: float
    message: str
    folder: str
    scores: tuple[tuple[str, float | None], ...]  # the gradebook's cell per exercise (None: empty)
    attempts: tuple[Attempt, ...] = ()
    failures: tuple[Failure, ...] = ()
    page: str = ""  # the student's own page, relative to outdir ("" when there is none)

    @property
    def graded(self) -> bool:
        """The batch graded this student into a report (whatever their score)."""
        return self.status in REPORT_STATUSES

    @property
    def submitted(self) -> bool:
        """Graded, with at least one exercise defined (not only stubs or an empty file)."""
        return any(a.status != "missing" for a in self.attempts)

    @property
    def failed_exercises(self) -> tuple[str, ...]:
        return tuple(a.exercise for a in self.attempts if a.status in ("failed", "error"))

    @property
    def mistakes(self) -> tuple[str, ...]:
        """The named mistakes of this student, one per (exercise, mistake), in report order."""
        seen: dict[tuple[str, str], None] = {}
        for failure in self.failures:
            if failure.diagnosis:
                seen.setdefault((failure.exercise, failure.diagnosis), None)
        return tuple(f"{exercise}: {name}" for exercise, name in seen)


@dataclass(frozen=True, slots=True)
class Roster:
    """The class: the gradebook's exercises, each student's record, and the reports not read."""

    exercises: tuple[str, ...]
    students: tuple[StudentRecord, ...]
    unreadable: tuple[str, ...] = ()  # students whose report.json could not be read

    def max_score_of(self, exercise: str) -> float:
        """The exercise's points, as the reports give them (0 when no report has it)."""
        for record in self.students:
            for attempt in record.attempts:
                if attempt.exercise == exercise:
                    return attempt.max_score
        return 0.0


def _uncell(text: str) -> str:
    """A gradebook text cell as it was before `grader.batch.gradebook.cell` neutralised it."""
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(text: str) -> float | None:
    try:
        return float(text) if text != "" else None
    except ValueError:
        return None


def _plain_folder(folder: str) -> bool:
    return bool(folder) and folder not in (".", "..") and "/" not in folder and os.sep not in folder


def _read_report(path: Path) -> dict[str, Any] | None:
    """report.json as a dict; None when absent, a link, unreadable or not a report."""
    try:
        if path.is_symlink() or path.parent.is_symlink():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("exercises"), list) else None


def _counterexample(data: Any) -> Counterexample | None:
    if not isinstance(data, dict):
        return None
    inputs = data.get("inputs")
    return Counterexample(inputs if isinstance(inputs, dict) else {}, data.get("expected"), data.get("got"))


def _from_report(student: str, report: dict[str, Any]) -> tuple[tuple[Attempt, ...], tuple[Failure, ...]]:
    attempts: list[Attempt] = []
    failures: list[Failure] = []
    for exercise in report["exercises"]:
        name = str(exercise["name"])
        checked: dict[str, bool] = {}
        for identity in exercise.get("identities") or ():
            status = str(identity.get("status"))
            if status == "skipped":
                continue
            title = str(identity.get("name", ""))
            bad = status in ("failed", "error")
            checked[category_of(title)] = checked.get(category_of(title), False) or bad
            if bad:
                diagnosis = identity.get("diagnosis")
                failures.append(
                    Failure(
                        student=student,
                        exercise=name,
                        identity=title,
                        status=status,
                        diagnosis=str(diagnosis) if diagnosis else None,
                        message=str(identity.get("message", "")),
                        counterexample=_counterexample(identity.get("counterexample")),
                    )
                )
        if exercise["status"] != "missing":  # reported only when it fails: held on every other answer
            checked.setdefault("runs", False)
        attempts.append(
            Attempt(
                exercise=name,
                status=str(exercise["status"]),
                score=float(exercise["score"]),
                max_score=float(exercise["max_score"]),
                checked=tuple((c, checked[c]) for c in CATEGORIES if c in checked),
            )
        )
    return tuple(attempts), tuple(failures)


def gather(outdir: Path) -> Roster:
    """The class recorded in `outdir` (a `grade batch` output folder).

    Raises UsageError when outdir/gradebook.csv is missing or is not a gradebook.
    """
    from grader.errors import UsageError

    path = outdir / "gradebook.csv"
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            lines = list(csv.reader(handle))
    except OSError as exc:
        raise UsageError(
            f"no gradebook in {outdir} ({exc.strerror or exc}): give the output folder of `grade batch`"
        ) from exc
    if (
        not lines
        or lines[0][:3] != ["student", "score", "max_score"]
        or tuple(lines[0][-3:]) != _GRADEBOOK_TAIL
    ):
        raise UsageError(f"{path} is not a gradebook written by `grade batch`")
    header = [_uncell(name) for name in lines[0]]
    exercises = tuple(header[3:-3])
    students: list[StudentRecord] = []
    unreadable: list[str] = []
    for line in lines[1:]:
        if len(line) != len(header):
            continue
        student, folder = _uncell(line[0]), _uncell(line[-1])
        record = StudentRecord(
            student=student,
            status=_uncell(line[-3]),
            score=_number(line[1]) or 0.0,
            max_score=_number(line[2]) or 0.0,
            message=_uncell(line[-2]),
            folder=folder,
            scores=tuple((name, _number(cell)) for name, cell in zip(exercises, line[3:-3], strict=True)),
        )
        if record.graded and _plain_folder(folder):
            report = _read_report(outdir / folder / "report.json")
            try:
                attempts, failures = _from_report(student, report) if report is not None else ((), ())
            except (KeyError, TypeError, ValueError):
                report = None
                attempts, failures = (), ()
            if report is None:
                unreadable.append(student)
            page = f"{folder}/report.html" if (outdir / folder / "report.html").is_file() else ""
            record = replace(record, attempts=attempts, failures=failures, page=page)
        students.append(record)
    return Roster(exercises=exercises, students=tuple(students), unreadable=tuple(unreadable))
