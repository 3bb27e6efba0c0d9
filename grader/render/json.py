"""The JSON report of docs/report.md (schema matgrade.report/1), byte-stable for a given run."""

from __future__ import annotations

import json

from grader.report import Report, plain

__all__ = ["render_json"]


def render_json(report: Report) -> str:
    """The report as indented JSON with a trailing newline; NaN and inf as strings."""
    return json.dumps(plain(report.to_dict()), indent=2, allow_nan=False) + "\n"
