"""The terminal report: one line per exercise, then each failure with its counterexample.

Markers are words, never symbols: an exercise or identity is PASS, FAIL, ERR or ---- (missing),
so a failing identity cannot be read as the variable `x`, and the report's bytes do not
depend on the encoding of the terminal.  With a `width`, prose (errors, notes, messages,
hints, the summary) is wrapped at spaces to that many columns, each continuation indented
under its text, and values are wrapped after a comma with a hanging indent, so no number
is ever cut.  Left whole, whatever the width: the rows of the exercise table (at most 76
columns), a word or number longer than the line, and the source lines and carets of a
traceback, which a wrap would misalign.  Without a width nothing is wrapped.

What the student's code printed is shown as it was (never wrapped), each line behind "| ",
under "your output": what loading printed once, above the exercises, and what each exercise's
calls printed under that exercise (which then has a section, even when it passed).
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from grader.render._details import LOAD_OUTPUT_LABEL, output_lines, test_name
from grader.report import Environment, ExerciseResult, IdentityResult, NotebookRun, Report, StudentOutput

__all__ = ["COLOURS", "MARKS", "paint", "render_text", "wrap"]

_SKIPPED_SHOWN = 8

# The word and the ANSI colour of each status, shared with `grade list` (grader/listing.py).
MARKS = {"passed": "PASS", "failed": "FAIL", "error": "ERR ", "missing": "----", "skipped": "SKIP"}
COLOURS = {
    "passed": "32",
    "failed": "31",
    "error": "35",
    "missing": "2",
    "skipped": "2",
    "incomplete": "33",
    "unloadable": "31",
}


def paint(text: str, code: str, colour: bool) -> str:
    """`text` in the ANSI colour `code` when `colour`, else as it is."""
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def _value(value: Any, limit: int = 600) -> str:
    text = json.dumps(value, allow_nan=True) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + " ..."


# A space beside an operator (`z > 0`, `1 / 1`, `w . x + b`) or in `--seed N` is not a place to
# break: it becomes _GLUE while the line is wrapped, which textwrap does not split at.
_GLUE = "\x1f"
_OPERATOR = re.compile(r" ([=<>+*/|~.^-]|[<>!=]=|->) (?=\S)")


def wrap(line: str, width: int | None, hang: int = 2) -> list[str]:
    """`line` cut at spaces to `width` columns; continuations indented `hang` past its indent.

    A word longer than the room stays whole on a line of its own: numbers are never cut, and
    neither is a space beside an operator.  None or a line that fits: the line as it is.
    """
    if width is None or len(line) <= width:
        return [line]
    text = line.lstrip(" ")
    indent = line[: len(line) - len(text)]
    text = _OPERATOR.sub(lambda m: f"{_GLUE}{m.group(1)}{_GLUE}", text).replace("--seed ", f"--seed{_GLUE}")
    lines = textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent + " " * hang,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [part.replace(_GLUE, " ") for part in lines]


def _labelled(label: str, text: str, width: int | None) -> list[str]:
    """`label` + `text`, wrapped with continuations under the text (`label` is "  hint: " ...)."""
    return wrap(label + text, width, hang=len(label.lstrip(" ")))


def _assignment(prefix: str, value: Any, width: int | None) -> list[str]:
    """`prefix` + a value; a long array is cut after its commas, continued inside its bracket."""
    text = _value(value)
    hang = len(prefix.lstrip(" ")) + (1 if text.startswith("[") else 0)
    return wrap(prefix + text, width, hang)


def _identity_block(identity: IdentityResult, colour: bool, width: int | None) -> list[str]:
    mark = MARKS[identity.status].rstrip()
    head = f"  {mark} {identity.name}"
    if identity.diagnosis:
        head += f"   [{identity.diagnosis}]"
    lines = wrap(head, width, hang=len(mark) + 1)
    lines[0] = "  " + paint(mark, COLOURS[identity.status], colour) + lines[0][2 + len(mark) :]
    for line in identity.message.splitlines():
        lines.extend(wrap(f"      {line}", width))
    example = identity.counterexample
    if example is not None:
        lines.append("      smallest failing input:")
        for name, value in example.inputs.items():
            lines.extend(_assignment(f"        {name} = ", value, width))
        if example.expected is not None or example.got is not None:
            lines.extend(_assignment("      expected: ", example.expected, width))
            lines.extend(_assignment("      got:      ", example.got, width))
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
    mark = paint(MARKS[result.status], COLOURS[result.status], colour)
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


def _error_lines(error: str, colour: bool, width: int | None) -> list[str]:
    """An error: its first line is prose and wrapped; the rest (traceback, code, caret) is kept."""
    first, *rest = error.splitlines() or [""]
    lines = _labelled("error: ", first, width)
    lines[0] = paint("error: ", "31", colour) + lines[0][len("error: ") :]
    return lines + rest


def _isolation(environment: Environment) -> str:
    """The worker's layers in one line: those that held, then those that did not."""
    held = [x.name + (f" ({x.detail})" if x.detail else "") for x in environment.layers if x.active]
    lacking = [x.name for x in environment.layers if not x.active]
    text = ", ".join(held) or "none"
    return text + (f"; not here: {', '.join(lacking)}" if lacking else "") + " (grade doctor)"


def _printed(output: StudentOutput | None, label: str, indent: str) -> list[str]:
    """What the student's code printed, labelled and behind its gutter; nothing when it printed nothing."""
    if output is None:
        return []
    return [f"{indent}{line}" for line in output_lines(output, label)]


def _summary(report: Report, colour: bool, width: int | None) -> list[str]:
    """The last line: the report's status (the word of the JSON report's "status"), score, seed."""
    status = report.status
    if status == "unloadable":
        rest = "the submission could not be loaded, so nothing was graded; fix the error above"
    else:
        missing = sum(1 for e in report.exercises if e.status == "missing" and e.message)
        passed = sum(1 for e in report.exercises if e.status == "passed")
        rest = (
            f"score {report.score:g}/{report.max_score:g}: {passed} passed of"
            f" {len(report.attempted)} attempted ({missing} missing); reproduce with --seed {report.seed}"
        )
    lines = _labelled("status: ", f"{status}; {rest}", width)
    after = len("status: ") + len(status)
    lines[0] = "status: " + paint(status, COLOURS[status], colour) + lines[0][after:]
    return lines


def render_text(
    report: Report, *, colour: bool = False, verbose: bool = False, width: int | None = None
) -> str:
    """The human report; `verbose` also lists passing identities and notes.

    Args:
        colour: ANSI colours for the markers and the status.
        verbose: also list passing identities, and the notes of the run and of passing exercises.
        width: wrap prose and values to this many columns (see the module docstring); None: never.
    """
    out = [f"matgrade: {report.submission}   seed {report.seed}"]
    for error in report.all_errors:
        out.extend(_error_lines(error, colour, width))
    skipped = None if report.notebook is None else _skipped_line(report.notebook)
    if skipped is not None:
        out.extend(_labelled("note: ", skipped, width))
    out.extend(_printed(report.load_output, LOAD_OUTPUT_LABEL, ""))
    if not report.loaded:
        # Every exercise is an `error` only because nothing could run: the error above says it once.
        out.append("")
        out.extend(_summary(report, colour, width))
        return "\n".join(out) + "\n"
    out.append("")
    name_width = max((len(e.name) for e in report.exercises), default=10)
    for result in report.exercises:
        out.append(_exercise_line(result, colour, name_width))
    details = [e for e in report.exercises if e.status in ("failed", "error") or e.output is not None]
    for result in details:
        out.append("")
        out.append(
            paint(f"{test_name(result)}: {result.status}", COLOURS[result.status], colour)
        )
        if result.message:
            for line in result.message.splitlines():
                out.extend(wrap(f"  {line}", width))
        for identity in result.identities:
            if identity.status in ("failed", "error"):
                out.extend(_identity_block(identity, colour, width))
            elif verbose:
                mark = MARKS[identity.status]
                line = f"  {mark} {identity.name}" + (f": {identity.message}" if identity.message else "")
                out.extend(wrap(line, width, hang=len(mark) + 1))
        if result.hint:
            out.extend(_labelled("  hint: ", result.hint, width))
        out.extend(_printed(result.output, "your output:", "  "))
    # Advice on the run itself (matgrade's own slowness): always shown, never in JSON.
    for advice in report.advice:
        out.extend(_labelled("note: ", advice, width))
    if verbose:
        if report.environment is not None:
            out.extend(_labelled("isolation: ", _isolation(report.environment), width))
        for note in report.notes:
            out.extend(_labelled("note: ", note, width))
        for result in report.exercises:
            if result.status == "passed":
                notes = [i.message for i in result.identities if i.message]
                for note in notes:
                    out.extend(_labelled("note: ", f"{result.name}: {note}", width))
    suggestions = [e.message for e in report.exercises if e.status == "missing" and e.suggestion]
    if suggestions:
        out.append("")
        for suggestion in suggestions:
            out.extend(wrap(suggestion, width))
    out.append("")
    out.extend(_summary(report, colour, width))
    return "\n".join(out) + "\n"
