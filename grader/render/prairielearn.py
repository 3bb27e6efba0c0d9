"""PrairieLearn's external-grader results.json: the score in [0, 1], a test per exercise.

PrairieLearn (docs/externalGrading.md of PrairieLearn/PrairieLearn) reads `score` (a fraction
of the question's points), `gradable`, `message`, `output` and `tests[]` with `name`,
`description`, `points`, `max_points`, `message` and `output`, and renders them with
`<pl-external-grader-results>`.  A submission that cannot be loaded (a syntax error, no
file) is not gradable: PrairieLearn then neither scores it nor counts the attempt, and shows
`format_errors`.  The file must stay under 1 MB: the longest outputs are cut, each with a
note, until it does.
"""

from __future__ import annotations

import json
from typing import Any

from grader import __version__
from grader.render._details import LOAD_OUTPUT_LABEL, exercise_details, output_lines, test_name
from grader.report import Report, plain

__all__ = ["LIMIT", "prairielearn_results", "render_prairielearn", "within_limit"]

LIMIT = 1_000_000  # bytes: PrairieLearn's limit on results.json
_CUT = "\n... (cut: PrairieLearn accepts at most 1 MB of results; run grade locally for the rest)\n"
_SMALLEST = 200  # characters an output keeps at least, before the next one is cut


def _message(report: Report) -> str:
    return (
        f"{report.status}: {report.score:g}/{report.max_score:g} points. "
        f"Reproduce with matgrade {__version__}: grade FILE "
        f"{'--assignment ASSIGNMENT ' if report.assigned else ''}--seed {report.seed}"
    )


def _output(report: Report) -> str:
    lines = [f"matgrade {__version__}: {report.submission}   seed {report.seed}"]
    lines.extend(f"error: {error}" for error in report.all_errors)
    if report.load_output is not None:
        lines.extend(output_lines(report.load_output, LOAD_OUTPUT_LABEL))
    return "\n".join(lines) + "\n"


def prairielearn_results(report: Report) -> dict[str, Any]:
    """results.json for `report` as a dict, before the size limit is applied."""
    tests = [
        {
            "name": test_name(e),
            "description": f"{e.name} of the {e.set} set: {e.status}",
            "points": e.score,
            "max_points": e.max_score,
            "message": e.status,
            "output": exercise_details(e),
        }
        for e in report.exercises
    ]
    results: dict[str, Any] = {
        "gradable": report.loaded,
        "score": report.score / report.max_score if report.max_score > 0 else 0.0,
        "message": _message(report),
        "output": _output(report),
        "tests": tests,
    }
    if not report.loaded:
        results["format_errors"] = list(report.all_errors) or ["the submission could not be loaded"]
    return plain(results)  # type: ignore[no-any-return]


def _encoded(results: dict[str, Any]) -> str:
    return json.dumps(results, indent=2, allow_nan=False) + "\n"


def within_limit(results: dict[str, Any], limit: int = LIMIT) -> str:
    """`results` as JSON of at most `limit` bytes: the longest `output` cut first, with a note."""
    text = _encoded(results)
    while len(text.encode("utf-8")) > limit:
        holders = [results, *results.get("tests", [])]
        longest = max(holders, key=lambda h: len(h.get("output", "")))
        kept = len(longest.get("output", ""))
        if kept <= _SMALLEST:
            raise ValueError(f"results.json cannot be brought under {limit} bytes")
        excess = len(text.encode("utf-8")) - limit
        keep = max(_SMALLEST, min(kept // 2, kept - excess - len(_CUT) - 16))
        longest["output"] = longest["output"].removesuffix(_CUT)[:keep] + _CUT
        text = _encoded(results)
    return text


def render_prairielearn(report: Report) -> str:
    """PrairieLearn's results.json for `report`, under its 1 MB limit."""
    return within_limit(prairielearn_results(report))
