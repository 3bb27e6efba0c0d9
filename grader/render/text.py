"""The terminal report: one line per exercise, then each failure with its counterexample."""

from __future__ import annotations

import json
from typing import Any

from grader.report import ExerciseResult, IdentityResult, NotebookRun, Report

__all__ = ["render_text"]

_SKIPPED_SHOWN = 8

_MARK = {"passed": "PASS", "failed": "FAIL", "error": "ERR ", "missing": "----"}
_COLOUR = {"passed": "32", "failed": "31", "error": "35", "missing": "2"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def _value(value: Any, limit: int = 600) -> str:
    text = json.dumps(value, allow_nan=True) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + " ..."


def _identity_block(identity: IdentityResult) -> list[str]:
    lines = [f"  x {identity.name}"]
    if identity.diagnosis:
        lines[0] += f"   [{identity.diagnosis}]"
    for line in identity.message.splitlines():
        lines.append(f"      {line}")
    example = identity.counterexample
    if example is not None:
        lines.append("      smallest failing input:")
        for name, value in example.inputs.items():
            lines.append(f"        {name} = {_value(value)}")
        if example.expected is not None or example.got is not None:
            lines.append(f"      expected: {_value(example.expected)}")
            lines.append(f"      got:      {_value(example.got)}")
    return lines


def _skipped_line(run: NotebookRun) -> str | None:
    """ "skipped 3 IPython-only lines: cell 1 `%matplotlib inline`, ..." or None."""
    if not run.skipped:
        return None
    count = len(run.skipped)
    shown = []
    for skipped in run.skipped[:_SKIPPED_SHOWN]:
        item = f"cell {skipped.cell} `{skipped.text}`"
        shown.append(item + (" (the whole cell)" if skipped.whole_cell else ""))
    if count > _SKIPPED_SHOWN:
        shown.append(f"and {count - _SKIPPED_SHOWN} more")
    plural = "line" if count == 1 else "lines"
    return f"skipped {count} IPython-only {plural} (not run): " + ", ".join(shown)


def _exercise_line(result: ExerciseResult, colour: bool, width: int) -> str:
    mark = _paint(_MARK[result.status], _COLOUR[result.status], colour)
    score = f"{result.score:g}/{result.max_score:g}"
    line = f"{mark}  {result.name:<{width}}  {result.set:<11} {score:>7}"
    if result.status == "missing":
        line += "  missing"
    elif result.status == "error":
        line += "  error"
    elif result.status == "failed":
        failed = sum(1 for i in result.identities if i.status in ("failed", "error"))
        line += f"  {failed} of {len(result.identities)} identities fail"
    return line


def render_text(report: Report, *, colour: bool = False, verbose: bool = False) -> str:
    """The human report; `verbose` also lists passing identities and notes."""
    out = [f"matgrade: {report.submission}   seed {report.seed}"]
    for error in report.errors:
        out.append(_paint("error: ", "31", colour) + error)
    skipped = None if report.notebook is None else _skipped_line(report.notebook)
    if skipped is not None:
        out.append(f"note: {skipped}")
    out.append("")
    width = max((len(e.name) for e in report.exercises), default=10)
    for result in report.exercises:
        out.append(_exercise_line(result, colour, width))
    details = [e for e in report.exercises if e.status in ("failed", "error")]
    for result in details:
        if not report.loaded:
            break
        out.append("")
        out.append(
            _paint(f"{result.name} ({result.set}): {result.status}", _COLOUR[result.status], colour)
        )
        if result.message:
            out.extend(f"  {line}" for line in result.message.splitlines())
        for identity in result.identities:
            if identity.status in ("failed", "error"):
                out.extend(_identity_block(identity))
            elif verbose:
                out.append(
                    f"  + {identity.name}" + (f": {identity.message}" if identity.message else "")
                )
        if result.hint:
            out.append(f"  hint: {result.hint}")
    for note in report.notes:
        # A note on matgrade's own slowness says what to change: shown always (grader/grading.py).
        if verbose or note.startswith("matgrade's own work"):
            out.append(f"note: {note}")
    if verbose:
        for result in report.exercises:
            if result.status == "passed":
                notes = [i.message for i in result.identities if i.message]
                for note in notes:
                    out.append(f"note: {result.name}: {note}")
    missing = [e.name for e in report.exercises if e.status == "missing" and e.message]
    suggestions = [
        e.message for e in report.exercises if e.status == "missing" and "did you mean" in e.message
    ]
    if suggestions:
        out.append("")
        out.extend(suggestions)
    attempted = len(report.attempted)
    passed = sum(1 for e in report.exercises if e.status == "passed")
    out.append("")
    out.append(
        f"score {report.score:g}/{report.max_score:g}: {passed} passed of {attempted} attempted"
        f" ({len(missing)} missing); reproduce with --seed {report.seed}"
    )
    return "\n".join(out) + "\n"
