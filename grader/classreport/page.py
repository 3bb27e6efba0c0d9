"""class-report.html: one self-contained page (inline CSS, SVG and a few lines of JS; no network).

Every piece of text that comes from a student (a name from a file name, a message their code
raised, a value it returned) goes through html.escape, attributes included: nothing a student
submits can add markup to the page.  Numbers carry `data-*` attributes so that a test (or a
script) can read each figure the page shows.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import quote

from grader.classreport.charts import histogram_svg, share_bar_svg
from grader.classreport.roster import CATEGORIES, Roster, StudentRecord
from grader.classreport.settings import Settings
from grader.classreport.statistics import ClassFigures, ExerciseFigures, Mistake

__all__ = ["render_page"]

_CSS = """
:root{--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--bar:#0969da;--track:#eef1f4;
--bad:207,34,46;--good:#1a7f37;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;
--bar:#4493f8;--track:#262c36;--bad:248,81,73;--good:#3fb950}}
body{color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:16px 24px;line-height:1.4}
h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:1px solid var(--line);padding-bottom:.2em;margin-top:1.6em}
.muted{color:var(--muted)}table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.glance{display:flex;gap:32px;flex-wrap:wrap;align-items:flex-start}
.figures{display:grid;grid-template-columns:repeat(2,minmax(130px,auto));gap:10px}
.figure{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:90px}
.figure b{display:block;font-size:1.6em}
.chart .bar,.rate .fill{fill:var(--bar)}.rate .track{fill:var(--track)}
.chart text{fill:var(--fg);font-size:11px}.chart .axis{fill:var(--muted)}
.matrix td.num{color:var(--fg)}.mistakes td.name{min-width:14em;max-width:22em}
.exercise{border:1px solid var(--line);border-radius:6px;padding:6px 14px;margin:10px 0;break-inside:avoid}
.exercise h3{margin:.3em 0}pre{margin:0;white-space:pre-wrap;word-break:break-all;max-width:60em}
th button{all:unset;cursor:pointer;font-weight:bold}th button::after{content:" \\2195";color:var(--muted)}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
a{color:var(--bar)}
@media print{body{max-width:none;padding:0}th button::after{content:""}a{color:inherit}
.exercise,.matrix,tr{break-inside:avoid}}
"""

# Sorting the student table: click a header; a data-numeric column sorts as numbers, others as text.
_JS = """
document.querySelectorAll("table.sortable").forEach(function(table){
  table.querySelectorAll("th button").forEach(function(button, column){
    button.addEventListener("click", function(){
      var th = button.parentElement, up = th.getAttribute("aria-sort") !== "ascending";
      var numeric = th.hasAttribute("data-numeric");
      table.querySelectorAll("th").forEach(function(h){ h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      rows.sort(function(a, b){
        var x = a.cells[column].getAttribute("data-sort"), y = b.cells[column].getAttribute("data-sort");
        var d = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return up ? d : -d;
      });
      rows.forEach(function(row){ body.appendChild(row); });
    });
  });
});
"""


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}g}"


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _value(value: object, limit: int = 400) -> str:
    text = value if isinstance(value, str) else json.dumps(value, allow_nan=True, default=str)
    return escape(text if len(text) <= limit else text[:limit] + " ...")


def _glance(found: ClassFigures) -> list[str]:
    items = [
        ("students", str(found.students), found.students),
        ("submitted", str(found.submitted), found.submitted),
        ("mean score", f"{_num(found.mean)} / {found.max_score:g}", found.mean),
        ("median score", f"{_num(found.median)} / {found.max_score:g}", found.median),
    ]
    out = ['<section class="glance" id="glance"><div class="figures">']
    for label, shown, raw in items:
        key = label.split()[0]
        data = "" if raw is None else f"{raw!r}"
        out.append(
            f'<div class="figure" data-figure="{key}" data-value="{escape(data)}">'
            f"<b>{escape(shown)}</b>{escape(label)}</div>"
        )
    out.append("</div>")
    out.append(histogram_svg(found.histogram, found.max_score))
    out.append("</section>")
    out.append(
        f'<p class="muted">{found.graded} graded; mean and median over all {found.students} students '
        "(a student the batch could not grade counts 0); submitted: defines at least one exercise.</p>"
    )
    return out


def _example(mistake: Mistake) -> str:
    failure = mistake.example
    example = failure.counterexample
    head = (
        f'<p class="muted">smallest counterexample ({escape(failure.student)}, '
        f"<i>{escape(failure.identity)}</i>):</p>"
    )
    if example is None:
        first = failure.message.splitlines()[0] if failure.message else ""
        return head + f"<pre>{escape(first)}</pre>"
    rows = [
        f"<tr><th>{escape(name)}</th><td><pre>{_value(v)}</pre></td></tr>"
        for name, v in example.inputs.items()
    ]
    rows.append(f"<tr><th>expected</th><td><pre>{_value(example.expected)}</pre></td></tr>")
    rows.append(f"<tr><th>obtained</th><td><pre>{_value(example.got)}</pre></td></tr>")
    return head + "<table>" + "".join(rows) + "</table>"


def _hints() -> dict[str, str]:
    """What each named mistake means, in the words of the hints students read."""
    from grader.checking.diagnosis import HINTS

    return dict(HINTS)


def _exercise(item: ExerciseFigures, hints: dict[str, str]) -> list[str]:
    name = escape(item.name)
    mean = "" if item.mean_score is None else repr(item.mean_score)
    out = [f'<section class="exercise" id="ex-{escape(quote(item.name))}" data-exercise="{name}">']
    points = "point" if item.max_score == 1 else "points"
    out.append(f'<h3><code>{name}</code> <span class="muted">({item.max_score:g} {points})</span></h3>')
    out.append(
        "<table><tr><th>attempted</th><th>passed</th><th>mean score</th><th>pass rate</th></tr>"
        f'<tr><td class="num" data-k="attempted">{item.attempted}</td>'
        f'<td class="num" data-k="passed">{item.passed}</td>'
        f'<td class="num" data-k="mean" data-value="{mean}">'
        f"{_num(item.mean_score)} / {item.max_score:g}</td>"
        f'<td data-k="rate">{share_bar_svg(item.pass_rate, escape(_pct(item.pass_rate)))} '
        f"{_pct(item.pass_rate)} ({item.passed}/{item.attempted})</td></tr></table>"
    )
    if item.mistakes:
        out.append(
            '<table class="mistakes"><tr><th>mistake</th><th>students</th><th>share</th>'
            "<th>representative counterexample</th></tr>"
        )
        for mistake in item.mistakes:
            out.append(
                f'<tr data-mistake="{escape(mistake.name)}"><td class="name"><b>{escape(mistake.name)}</b>'
                f'<br><span class="muted">{escape(hints.get(mistake.name, ""))}</span></td>'
                f'<td class="num" data-k="count">{mistake.count}</td>'
                f'<td class="num" data-k="share">{_pct(mistake.share)} of {item.attempted}</td>'
                f"<td>{_example(mistake)}</td></tr>"
            )
        out.append("</table>")
    if item.unnamed:
        out.append(f'<p class="muted" data-k="unnamed">{item.unnamed} failed with no named mistake.</p>')
    out.append("</section>")
    return out


def _matrix(found: ClassFigures) -> list[str]:
    out = ['<table class="matrix"><tr><th>exercise</th>']
    out.extend(f'<th class="num">{escape(c)}</th>' for c in CATEGORIES)
    out.append("</tr>")
    for item in found.exercises:
        out.append(f"<tr><th><code>{escape(item.name)}</code></th>")
        for cell in item.cells:
            if not cell.checked:
                out.append('<td class="num muted" data-failed="" data-checked="0">–</td>')
                continue
            alpha = 0.08 + 0.6 * cell.share if cell.failed else 0.0
            out.append(
                f'<td class="num" style="background:rgba(var(--bad),{alpha:.2f})" '
                f'data-failed="{cell.failed}" data-checked="{cell.checked}" '
                f'title="{cell.failed} of {cell.checked} students failed">'
                f"{cell.failed}/{cell.checked}<br>{_pct(cell.share)}</td>"
            )
        out.append("</tr>")
    out.append("</table>")
    return out


def _student_row(record: StudentRecord) -> str:
    name = escape(record.student)
    link = f'<a href="{escape(quote(record.page))}">{name}</a>' if record.page else name
    failed = ", ".join(record.failed_exercises)
    mistakes = "; ".join(record.mistakes)
    return (
        f'<tr data-student="{name}"><td data-sort="{name}">{link}</td>'
        f'<td data-sort="{escape(record.status)}">{escape(record.status)}</td>'
        f'<td class="num" data-sort="{record.score!r}">{record.score:g}</td>'
        f'<td class="num" data-sort="{len(record.failed_exercises)}">{len(record.failed_exercises)}</td>'
        f'<td data-sort="{escape(failed)}">{escape(failed)}</td>'
        f'<td data-sort="{escape(mistakes)}">{escape(mistakes)}</td></tr>'
    )


def _students(roster: Roster, found: ClassFigures) -> list[str]:
    heads = ["student", "status", f"score (of {found.max_score:g})", "failed", "failed exercises", "mistakes"]
    out = ['<table class="sortable" id="students"><thead><tr>']
    numeric = (False, False, True, True, False, False)
    out.extend(
        f'<th{" data-numeric" if n else ""}><button type="button">{escape(h)}</button></th>'
        for h, n in zip(heads, numeric, strict=True)
    )
    out.append("</tr></thead><tbody>")
    out.extend(_student_row(r) for r in roster.students)
    out.append("</tbody></table>")
    return out


def _broken(roster: Roster, found: ClassFigures) -> list[str]:
    out: list[str] = []
    if found.broken:
        out.append('<table id="broken"><tr><th>student</th><th>status</th><th>why</th></tr>')
        out.extend(
            f"<tr><td>{escape(r.student)}</td><td>{escape(r.status)}</td><td>{escape(r.message)}</td></tr>"
            for r in found.broken
        )
        out.append("</table>")
    else:
        out.append("<p>Every student was graded: none crashed, timed out or was invalid.</p>")
    if roster.unreadable:
        out.append(
            "<p>No readable report.json (their gradebook row is used): "
            + escape(", ".join(roster.unreadable))
            + "</p>"
        )
    return out


def render_page(roster: Roster, found: ClassFigures, settings: Settings, version: str, date: str) -> str:
    """The whole class report as one HTML document."""
    title = f"Class report: {settings.title}" if settings.title else "Class report"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">matgrade {escape(version)}, {escape(date)}</p>',
        "<h2>The class at a glance</h2>",
        *_glance(found),
        "<h2>Which identities fail</h2>",
        '<p class="muted">Students who failed each kind of identity, of those on whom it was checked '
        "(deeper red: a larger share).</p>",
        *_matrix(found),
        "<h2>Per exercise</h2>",
    ]
    hints = _hints()
    for item in found.exercises:
        out.extend(_exercise(item, hints))
    out.append(
        '<h2>Students</h2><p class="muted">Click a header to sort; a name opens that student\'s report.</p>'
    )
    out.extend(_students(roster, found))
    out.append("<h2>Not graded</h2>")
    out.extend(_broken(roster, found))
    out.append("<h2>Settings</h2><table>")
    rows = settings.lines() or (("settings", "not recorded (this folder was graded by an older matgrade)"),)
    out.extend(f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in rows)
    out.append("</table>")
    out.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(out) + "\n"
