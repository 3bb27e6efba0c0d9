"""An assignment's class as the instructor sees it: the gradebook and the live class report.

Each student's counting submission (the last or the best graded one, as the assignment's
`[service] counts` says) becomes a row of grader.batch.gradebook, written exactly as `grade
batch` writes it; the class report is grader.classreport's, built from a batch-shaped folder
DIR/courses/<assignment>/ (gradebook.csv, one folder per student with report.json and
report.html) that is rewritten on each request.  Students without a graded submission are
`not-graded` rows with 0 points.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, undefer

from grader.batch.gradebook import NOT_GRADED, Row, failed_row, write_atomic, write_gradebook
from grader.batch.survey import folder_names
from grader.service.config import Course
from grader.service.models import Account, Submission

__all__ = ["class_folder", "counting"]

_LOCK = threading.Lock()  # one rebuild of a course folder at a time


def counting(engine: Engine, course: Course) -> dict[str, Submission | None]:
    """Every student's counting submission of `course` (None: none graded), by name."""
    with Session(engine, expire_on_commit=False) as session:
        students = session.scalars(select(Account.name).where(Account.role == "student")).all()
        rows = session.execute(
            select(Submission, Account.name)
            .join(Account, Account.id == Submission.account_id)
            .where(Submission.assignment == course.name, Submission.status == "done")
            .order_by(Submission.id)
            .options(undefer(Submission.report_html))  # written beside each student's report.json
        ).all()
    chosen: dict[str, Submission | None] = dict.fromkeys(students)
    for submission, name in rows:
        held = chosen.get(name)
        if held is None or course.rules.counts == "last" or (submission.score or 0.0) > (held.score or 0.0):
            chosen[name] = submission
    return chosen


def _row(name: str, submission: Submission | None, course: Course) -> Row:
    if submission is None or submission.report_json is None:
        return failed_row(name, NOT_GRADED, course.assignment, "no submission graded yet")
    report = json.loads(submission.report_json)
    errors = report.get("errors") or []
    message = errors[0].splitlines()[0] if errors else ""
    if submission.late:
        message = f"late (submission {submission.id}){'; ' + message if message else ''}"
    return Row(
        student=name,
        status=str(report["status"]),
        score=float(report["score"]),
        max_score=float(report["max_score"]),
        exercises=tuple((str(e["name"]), float(e["score"])) for e in report["exercises"]),
        message=message,
    )


def class_folder(engine: Engine, course: Course, data: Path) -> Path:
    """Rewrite DIR/courses/<assignment>/ (gradebook, class report, students' reports); return its path."""
    from grader.classreport import settings_of, write_class_report

    out = data / "courses" / course.name
    with _LOCK:
        chosen = counting(engine, course)
        folders = folder_names(chosen)
        rows = []
        out.mkdir(parents=True, exist_ok=True)
        for name in sorted(chosen):
            submission = chosen[name]
            row = _row(name, submission, course)
            if submission is not None and submission.report_json is not None:
                folder = out / folders[name]
                folder.mkdir(exist_ok=True)
                write_atomic(folder / "report.json", submission.report_json)
                write_atomic(folder / "report.html", submission.report_html or "")
                row = replace(row, folder=folders[name])
            rows.append(row)
        write_gradebook(out / "gradebook.csv", rows, course.assignment)
        write_class_report(out, settings_of(course.assignment))
    return out
