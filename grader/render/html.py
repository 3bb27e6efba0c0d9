"""A Report as HTML: a compact fragment for Jupyter (`check(fn)` shows it), or a whole page.

`render_html` is the fragment, a table row per identity.  `render_html_page` is `--format html`
(and each student's report.html in a batch, linked from the class report): a self-contained
document with inline CSS, light and dark, with each counterexample as a table of its inputs,
the expected and the obtained values.

Every piece of text, the student's messages and values included, goes through html.escape,
so nothing a function returns, raises or prints can add markup to the notebook.
"""

from __future__ import annotations

from html import escape

from grader.render._details import (
    LOAD_OUTPUT_LABEL,
    OUTPUT_LABEL,
    counterexample_lines,
    output_lines,
    value_text,
)
from grader.report import ExerciseResult, IdentityResult, Report

__all__ = ["render_html", "render_html_page"]

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


def _errors_and_output(report: Report) -> list[str]:
    """The report's errors, then what loading the submission printed: the top of both forms."""
    out = []
    for error in report.all_errors:
        out.append(f'<p style="color:{_COLOUR["failed"]}"><b>error:</b></p>' + _pre(error.splitlines()))
    if report.load_output is not None:
        printed = output_lines(report.load_output, LOAD_OUTPUT_LABEL)
        out.append(f"<p><b>{escape(printed[0])}</b></p>" + _pre(printed[1:]))
    return out


def render_html(report: Report) -> str:
    """The report as an HTML fragment: errors, then per exercise its identities in a table."""
    out = ['<div class="matgrade-report">']
    out.extend(_errors_and_output(report))
    for result in report.exercises:
        out.extend(_exercise(result))
    out.append(
        f'<p style="color:#6e7781">seed {report.seed}; the same seed gives the same inputs '
        f"(grade FILE --seed {report.seed})</p>"
    )
    out.append("</div>")
    return "\n".join(out) + "\n"


_PAGE_CSS = """
:root{--fg:#1f2328;--bg:#fff;--line:#d1d9e0;--muted:#59636e;font-family:system-ui,sans-serif}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--line:#3d444d;--muted:#9198a1}}
body{color:var(--fg);background:var(--bg);max-width:1100px;margin:0 auto;padding:16px 24px}
h1{font-size:1.4em;word-break:break-all}
table{border-collapse:collapse;margin:.4em 0}th,td{border:1px solid var(--line);padding:3px 8px;
text-align:left;vertical-align:top}pre{margin:0;white-space:pre-wrap;word-break:break-all}
.muted{color:var(--muted)}section{break-inside:avoid;margin:1em 0}
"""


def _example_table(identity: IdentityResult) -> str:
    example = identity.counterexample
    if example is None:
        return ""
    rows = [
        f"<tr><th>{escape(name)}</th><td><pre>{escape(value_text(value))}</pre></td></tr>"
        for name, value in example.inputs.items()
    ]
    if example.expected is not None or example.got is not None:
        rows.append(f"<tr><th>expected</th><td><pre>{escape(value_text(example.expected))}</pre></td></tr>")
        rows.append(f"<tr><th>obtained</th><td><pre>{escape(value_text(example.got))}</pre></td></tr>")
    caption = "<caption>smallest failing input</caption>"
    return f'<table class="counterexample">{caption}{"".join(rows)}</table>'


def _page_exercise(result: ExerciseResult) -> list[str]:
    out = [f'<section id="{escape(result.name)}">', *_exercise(result)[:1]]
    if result.message:
        out.append(_pre(result.message.splitlines()))
    for identity in result.identities:
        if identity.status not in ("failed", "error"):
            continue
        diagnosis = f" [{escape(identity.diagnosis)}]" if identity.diagnosis else ""
        out.append(f"<p>{_status(identity.status)} {escape(identity.name)}{diagnosis}</p>")
        out.append(_pre(identity.message.splitlines()))
        out.append(_example_table(identity))
    held = [i for i in result.identities if i.status == "passed"]
    if held:
        out.append('<p class="muted">holds: ' + escape("; ".join(i.name for i in held)) + "</p>")
    if result.hint:
        out.append(f"<p><b>hint:</b> {escape(result.hint)}</p>")
    if result.output is not None:
        out.append(f"<p><b>{escape(OUTPUT_LABEL)}</b></p>" + _pre(output_lines(result.output)[1:]))
    out.append("</section>")
    return out


def render_html_page(report: Report) -> str:
    """The report as a whole HTML document: status and score, errors, each exercise, the seed."""
    title = f"matgrade report: {report.submission}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark">',
        f"<title>{escape(title)}</title><style>{_PAGE_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p id="summary">{_status(report.status)}, score {report.score:g}/{report.max_score:g}</p>',
    ]
    out.extend(_errors_and_output(report))
    for result in report.exercises:
        out.extend(_page_exercise(result))
    out.append(
        f'<p class="muted">seed {report.seed}; the same seed gives the same inputs '
        f"(grade FILE --seed {report.seed})</p></body></html>"
    )
    return "\n".join(out) + "\n"
