"""Renderers: each a function of a Report returning text, one module per output format.

`render` picks one by name and imports only that one; FORMATS lists the names and
SUFFIXES the file name each format is written to when a folder holds several.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.report import Report, Visibility

__all__ = ["FORMATS", "SUFFIXES", "render"]

FORMATS = ("text", "json", "gradescope", "junit", "github", "markdown", "html", "prairielearn")
SUFFIXES = {
    "text": "report.txt",
    "json": "report.json",
    "gradescope": "results.json",
    "junit": "junit.xml",
    "github": "github-result.txt",
    "markdown": "summary.md",
    "html": "report.html",
    "prairielearn": "prairielearn-results.json",
}


def render(
    report: Report,
    fmt: str,
    *,
    colour: bool = False,
    verbose: bool = False,
    visibility: Mapping[str, Visibility] | None = None,
    default_visibility: Visibility = "visible",
    width: int | None = None,
) -> str:
    """`report` in the format named `fmt` (one of FORMATS); the options reach the formats that use them.

    `colour`, `verbose` and `width` (columns to wrap to; None: no wrapping) are the text format's.
    """
    if fmt == "json":
        from grader.render.json import render_json

        return render_json(report)
    if fmt == "gradescope":
        from grader.render.gradescope import render_gradescope

        return render_gradescope(
            report, visibility=visibility, default_visibility=default_visibility
        )
    if fmt == "junit":
        from grader.render.junit import render_junit

        return render_junit(report)
    if fmt == "github":
        from grader.render.github import render_github

        return render_github(report)
    if fmt == "markdown":
        from grader.render.markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        from grader.render.html import render_html_page

        return render_html_page(report)
    if fmt == "prairielearn":
        from grader.render.prairielearn import render_prairielearn

        return render_prairielearn(report)
    if fmt == "text":
        from grader.render.text import render_text

        return render_text(report, colour=colour, verbose=verbose, width=width)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
