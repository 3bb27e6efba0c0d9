"""What a student may see of their report: the assignment's visibility, as Gradescope reads it.

    visible          always shown
    after_due_date   shown once the deadline has passed (always, when there is no deadline)
    after_published  withheld from students (the service has no "publish" step yet)
    hidden           withheld from students

A withheld exercise is removed from the student's report, and the score and maximum are
those of the exercises shown; instructors always get the whole report.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.assignment import Assignment
    from grader.report import Report

__all__ = ["student_json", "student_report", "withheld"]


def withheld(assignment: Assignment, due: bool) -> frozenset[str]:
    """The exercises a student may not see; `due`: the deadline has passed (or there is none)."""
    hide = {"hidden", "after_published"} if due else {"hidden", "after_published", "after_due_date"}
    return frozenset(e.name for e in assignment.exercises if e.visibility in hide)


def student_report(report: Report, hide: frozenset[str]) -> Report:
    """`report` without the exercises in `hide`, with a note saying how many were withheld."""
    if not hide:
        return report
    shown = tuple(e for e in report.exercises if e.name not in hide)
    count = len(report.exercises) - len(shown)
    note = f"{count} exercise{'s' if count != 1 else ''} withheld until your instructor shows the results"
    return replace(report, exercises=shown, notes=(*report.notes, note) if count else report.notes)


def student_json(report_text: str, hide: frozenset[str]) -> dict[str, Any]:
    """The stored JSON report as the student sees it (the same filter as student_report)."""
    report: dict[str, Any] = json.loads(report_text)
    if not hide:
        return report
    shown = [e for e in report["exercises"] if e["name"] not in hide]
    count = len(report["exercises"]) - len(shown)
    if count:
        report["exercises"] = shown
        report["score"] = round(sum(e["score"] for e in shown), 6)
        report["max_score"] = round(sum(e["max_score"] for e in shown), 6)
        noun = "exercises" if count != 1 else "exercise"
        report["notes"] = [
            *report["notes"],
            f"{count} {noun} withheld until your instructor shows the results",
        ]
    return report
