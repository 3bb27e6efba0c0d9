"""Gradescope's results.json (autograder specs): one test per exercise, scores from the Report.

Visibility is Gradescope's own four levels; an assignment sets it per exercise, so it comes
in beside the report rather than inside it.  Any hidden test hides the student's total on
Gradescope, as its documentation says.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from grader.render._details import exercise_details
from grader.report import Report, plain

__all__ = ["VISIBILITIES", "Visibility", "render_gradescope"]

Visibility = Literal["hidden", "after_due_date", "after_published", "visible"]
VISIBILITIES: tuple[Visibility, ...] = ("hidden", "after_due_date", "after_published", "visible")


def _output(report: Report) -> str:
    lines = [f"matgrade: {report.submission}   seed {report.seed}"]
    lines.extend(f"error: {error}" for error in report.errors)
    passed = sum(1 for e in report.exercises if e.status == "passed")
    missing = sum(1 for e in report.exercises if e.status == "missing")
    lines.append(
        f"{report.status}: score {report.score:g}/{report.max_score:g}: {passed} passed of "
        f"{len(report.attempted)} attempted ({missing} missing); "
        f"reproduce with grade FILE --seed {report.seed}"
    )
    return "\n".join(lines) + "\n"


def render_gradescope(
    report: Report,
    *,
    visibility: Mapping[str, Visibility] | None = None,
    default_visibility: Visibility = "visible",
) -> str:
    """results.json for `report`; `visibility` maps exercise names to one of VISIBILITIES."""
    chosen = visibility or {}
    tests: list[dict[str, Any]] = []
    for result in report.exercises:
        tags = [result.set, result.status]
        tags.extend(sorted({i.diagnosis for i in result.identities if i.diagnosis}))
        tests.append(
            {
                "name": f"{result.name} ({result.set})",
                "score": result.score,
                "max_score": result.max_score,
                "status": "passed" if result.status == "passed" else "failed",
                "output": exercise_details(result),
                "visibility": chosen.get(result.name, default_visibility),
                "tags": tags,
            }
        )
    results = {
        "score": report.score,
        "output": _output(report),
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": default_visibility,
        "tests": tests,
    }
    return json.dumps(plain(results), indent=2, allow_nan=False) + "\n"
