"""The GitHub Classroom runner result: base64 of the JSON the autograding reporter reads.

The classroom-resources reporter decodes each runner's `result` output, sums tests[].score
over max_score, and fails the job when a runner's status is "fail" or "error"
(docs/platforms.md shows the workflow).  One test per exercise; `version` 1 is the
command grader's format, whose tests carry no `output` limit.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from grader.render._details import exercise_details, test_name
from grader.report import Report, plain

__all__ = ["github_result", "render_github"]

_STATUS = {"passed": "pass", "failed": "fail", "error": "error", "missing": "fail"}


def _reproduce(report: Report, name: str) -> str:
    """The command that grades `name` again on the student's machine, as the reporter shows it.

    An assignment's run is reproduced by its file (its examples and limits; `--only` is refused
    beside it), whose path the report does not know: ASSIGNMENT stands for it, as FILE does.
    """
    if report.assigned:
        return f"grade FILE --assignment ASSIGNMENT --seed {report.seed}"
    return f"grade FILE --only {name} --seed {report.seed}"


def github_result(report: Report) -> dict[str, Any]:
    """The runner's JSON object, before encoding (what the reporter decodes)."""
    # The reporter's words; `passed` only when every exercise graded passed (Report.status).
    status = "error" if not report.loaded else "pass" if report.status == "passed" else "fail"
    tests = [
        {
            "name": test_name(e),
            "status": _STATUS[e.status],
            "score": e.score,
            "message": exercise_details(e, short=True),
            "test_code": _reproduce(report, e.name),
            "filename": report.submission,
            "line_no": 0,
            "duration": 0,
        }
        for e in report.exercises
    ]
    message = "; ".join(report.all_errors) or f"{report.status}: points {report.score:g}/{report.max_score:g}"
    result: dict[str, Any] = plain(
        {
            "version": 1,
            "status": status,
            "message": message,
            "max_score": report.max_score,
            "tests": tests,
        }
    )
    return result


def render_github(report: Report) -> str:
    """The runner result as one base64 line, for `echo "result=..." >> $GITHUB_OUTPUT`."""
    text = json.dumps(github_result(report), allow_nan=False, separators=(",", ":"))
    return base64.b64encode(text.encode("utf-8")).decode("ascii") + "\n"
