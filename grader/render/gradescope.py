"""Gradescope's results.json (autograder specs): one test per exercise, scores from the Report.

Visibility (grader/report.py) is Gradescope's own four levels; an assignment sets it per exercise, so it comes
in beside the report rather than inside it.  Any hidden test hides the student's total on
Gradescope, as its documentation says.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from grader import __version__
from grader.render._details import LOAD_OUTPUT_LABEL, exercise_details, output_lines, test_name
from grader.report import ExerciseResult, Report, Visibility, plain

__all__ = ["gradescope_results", "gradescope_test", "render_gradescope"]


# An assignment's run is reproduced with its file, which the report does not name.
_ASSIGNMENT = "--assignment ASSIGNMENT "


def _output(report: Report) -> str:
    # The version beside the seed: what a student needs to reproduce the grade on their machine.
    lines = [f"matgrade {__version__}: {report.submission}   seed {report.seed}"]
    lines.extend(f"error: {error}" for error in report.all_errors)
    if report.load_output is not None:
        lines.extend(output_lines(report.load_output, LOAD_OUTPUT_LABEL))
    passed = sum(1 for e in report.exercises if e.status == "passed")
    missing = sum(1 for e in report.exercises if e.status == "missing")
    lines.append(
        f"{report.status}: score {report.score:g}/{report.max_score:g}: {passed} passed of "
        f"{len(report.attempted)} attempted ({missing} missing); "
        f"reproduce with grade FILE {_ASSIGNMENT if report.assigned else ''}--seed {report.seed}"
    )
    return "\n".join(lines) + "\n"


def gradescope_test(
    result: ExerciseResult, output: str, visibility: Visibility, tags: list[str] | None = None
) -> dict[str, Any]:
    """One exercise's test of results.json; `tags` only when given."""
    test: dict[str, Any] = {
        "name": test_name(result),
        "score": result.score,
        "max_score": result.max_score,
        "status": "passed" if result.status == "passed" else "failed",
        "output": output,
        "visibility": visibility,
    }
    if tags is not None:
        test["tags"] = tags
    return test


def gradescope_results(
    score: float, output: str, visibility: Visibility, tests: list[dict[str, Any]]
) -> dict[str, Any]:
    """The whole of results.json: the total, the run's output, and the tests (see gradescope_test)."""
    return {
        "score": score,
        "output": output,
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": visibility,
        "tests": tests,
    }


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
        shown = chosen.get(result.name, default_visibility)
        tests.append(gradescope_test(result, exercise_details(result), shown, tags))
    results = gradescope_results(report.score, _output(report), default_visibility, tests)
    return json.dumps(plain(results), indent=2, allow_nan=False) + "\n"
