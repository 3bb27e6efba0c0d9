"""A Markdown summary of a Report, for $GITHUB_STEP_SUMMARY: a score table, then failures.

Student text goes inside fenced blocks, so a message cannot break the table or inject
markup; table cells hold only names, statuses and numbers.
"""

from __future__ import annotations

from grader.render._details import exercise_details
from grader.report import Report

__all__ = ["render_markdown"]

_MARK = {"passed": "✅ passed", "failed": "❌ failed", "error": "💥 error", "missing": "➖ missing"}


def _fence(text: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}text\n{text.rstrip()}\n{ticks}"


def render_markdown(report: Report) -> str:
    """The summary: a heading with the score, one table row per exercise, failure details."""
    out = [
        f"## matgrade: {report.score:g}/{report.max_score:g} ({report.status})",
        "",
        f"Submission `{report.submission}`, seed {report.seed} "
        f"(reproduce with `grade FILE --seed {report.seed}`).",
        "",
    ]
    for error in report.all_errors:
        out.extend([_fence(error), ""])
    out.extend(["| exercise | set | status | score |", "|---|---|---|---:|"])
    for e in report.exercises:
        out.append(f"| `{e.name}` | {e.set} | {_MARK[e.status]} | {e.score:g}/{e.max_score:g} |")
    failing = [e for e in report.exercises if e.status in ("failed", "error")]
    if failing and report.loaded:
        out.extend(["", "### What failed", ""])
        for e in failing:
            out.extend(
                [
                    f"<details><summary><code>{e.name}</code> ({e.set}): {e.status}</summary>",
                    "",
                    _fence(exercise_details(e, short=True)),
                    "",
                    "</details>",
                    "",
                ]
            )
    return "\n".join(out).rstrip() + "\n"
