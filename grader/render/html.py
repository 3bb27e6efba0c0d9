"""A compact HTML table of a Report, for Jupyter (`check(fn)` shows it): a row per identity.

Every piece of text, the student's messages and values included, goes through html.escape,
so nothing a function returns, raises or prints can add markup to the notebook.
"""

from __future__ import annotations

from html import escape

from grader.render._details import LOAD_OUTPUT_LABEL, OUTPUT_LABEL, counterexample_lines, output_lines
from grader.report import ExerciseResult, IdentityResult, Report

__all__ = ["render_html"]

_MARK = {"passed": "✔", "failed": "✘", "error": "✘", "missing": "–", "skipped": "–"}
_COLOUR = {
    "passed": "#1a7f37",
    "failed": "#cf222e",
    "error": "#8250df",
    "missing": "#6e7781",
    "skipped": "#6e7781",
}
_CELL = "padding:2px 8px;text-align:left;vertical-align:top"


def _status(status: str) -> str:
    colour = _COLOUR.get(status, "#6e7781")
    return f'<span style="color:{colour};font-weight:bold">{_MARK.get(status, "")} {escape(status)}</span>'


def _pre(lines: list[str]) -> str:
    if not lines:
        return ""
    return f'<pre style="margin:0;white-space:pre-wrap">{escape(chr(10).join(lines))}</pre>'


def _identity_row(identity: IdentityResult) -> str:
    diagnosis = escape(identity.diagnosis) if identity.diagnosis else ""
    details = _pre([*identity.message.splitlines(), *counterexample_lines(identity)])
    return (
        f'<tr><td style="{_CELL}">{_status(identity.status)}</td>'
        f'<td style="{_CELL}">{escape(identity.name)}</td>'
        f'<td style="{_CELL}">{diagnosis}</td>'
        f'<td style="{_CELL}">{details}</td></tr>'
    )


def _exercise(result: ExerciseResult) -> list[str]:
    head = (
        f"<p><b><code>{escape(result.name)}</code></b> ({escape(result.set)}): "
        f"{_status(result.status)}, score {result.score:g}/{result.max_score:g}"
    )
    if result.examples:
        head += f" on {result.examples} generated inputs"
    out = [head + "</p>"]
    if result.message:
        out.append(_pre(result.message.splitlines()))
    if result.identities:
        out.append('<table style="border-collapse:collapse">')
        out.append(
            f'<tr><th style="{_CELL}">status</th><th style="{_CELL}">identity</th>'
            f'<th style="{_CELL}">diagnosis</th><th style="{_CELL}">counterexample</th></tr>'
        )
        out.extend(_identity_row(i) for i in result.identities)
        out.append("</table>")
    if result.hint:
        out.append(f"<p><b>hint:</b> {escape(result.hint)}</p>")
    if result.output is not None:
        out.append(f"<p><b>{escape(OUTPUT_LABEL)}</b></p>" + _pre(output_lines(result.output)[1:]))
    return out


def render_html(report: Report) -> str:
    """The report as an HTML fragment: errors, then per exercise its identities in a table."""
    out = ['<div class="matgrade-report">']
    for error in report.all_errors:
        out.append(f'<p style="color:{_COLOUR["failed"]}"><b>error:</b></p>' + _pre(error.splitlines()))
    if report.load_output is not None:
        printed = output_lines(report.load_output, LOAD_OUTPUT_LABEL)
        out.append(f"<p><b>{escape(printed[0])}</b></p>" + _pre(printed[1:]))
    for result in report.exercises:
        out.extend(_exercise(result))
    out.append(
        f'<p style="color:#6e7781">seed {report.seed}; the same seed gives the same inputs '
        f"(grade FILE --seed {report.seed})</p>"
    )
    out.append("</div>")
    return "\n".join(out) + "\n"
