"""Plain-text accounts of one exercise's failures, shared by the CI formats.

Gradescope, JUnit, GitHub Classroom and Markdown all show a student the same facts: each
identity that failed, its smallest failing input, the expected and obtained values, the
diagnosis and the hint.  Values longer than `limit` characters are cut with " ...".
What the student's code printed is shown apart from all of that, under "your output" and
with each of its lines behind a "| " gutter, so it cannot pass for a message of matgrade's.
"""

from __future__ import annotations

import json
from typing import Any

from grader.report import ExerciseResult, IdentityResult, StudentOutput

__all__ = [
    "LOAD_OUTPUT_LABEL",
    "OUTPUT_LABEL",
    "SHORT_OUTPUT_LINES",
    "counterexample_lines",
    "exercise_details",
    "identity_details",
    "output_lines",
    "test_name",
    "value_text",
]

OUTPUT_LABEL = "your output:"
LOAD_OUTPUT_LABEL = "your output (while the submission was loaded):"


def test_name(result: ExerciseResult) -> str:
    """How the CI formats name an exercise's test: "neuron_grad (neuron)"."""
    return f"{result.name} ({result.set})"


def value_text(value: Any, limit: int = 600) -> str:
    """A plain JSON value as one line of text, cut at `limit` characters."""
    text = value if isinstance(value, str) else json.dumps(value, allow_nan=True)
    return text if len(text) <= limit else text[:limit] + " ..."


def counterexample_lines(identity: IdentityResult) -> list[str]:
    """The smallest failing input and the two answers, one line each (none without one)."""
    example = identity.counterexample
    if example is None:
        return []
    lines = ["smallest failing input:"]
    lines.extend(f"  {name} = {value_text(value)}" for name, value in example.inputs.items())
    if example.expected is not None or example.got is not None:
        lines.append(f"expected: {value_text(example.expected)}")
        lines.append(f"got:      {value_text(example.got)}")
    return lines


SHORT_OUTPUT_LINES = 5  # of a student's output in the short formats (GitHub, Markdown)


def output_lines(output: StudentOutput, label: str = OUTPUT_LABEL, most: int | None = None) -> list[str]:
    """The label, each line of what was printed behind "| ", then the cut note if it was cut.

    `most`: show that many lines at most, and say that the text and JSON reports have the rest.
    """
    printed = output.lines()
    lines = [label]
    lines.extend(f"| {line}".rstrip() for line in printed[:most])
    if most is not None and len(printed) > most:
        lines.append(f"... {len(printed) - most} more lines (the text and JSON reports show them)")
    elif output.cut_note:
        lines.append(output.cut_note)
    return lines


def identity_details(identity: IdentityResult) -> list[str]:
    """A failing identity: its name and diagnosis, its message, then its counterexample."""
    head = f"{'ERR' if identity.status == 'error' else 'FAIL'} {identity.name}"
    if identity.diagnosis:
        head += f"   [{identity.diagnosis}]"
    lines = [head]
    lines.extend(f"    {line}" for line in identity.message.splitlines())
    lines.extend(f"    {line}" for line in counterexample_lines(identity))
    return lines


def exercise_details(result: ExerciseResult, short: bool = False) -> str:
    """What a student reads about one exercise: a verdict line, each failure, the hint, its output.

    `short`: only the first SHORT_OUTPUT_LINES lines of what it printed.
    """
    failing = [i for i in result.identities if i.status in ("failed", "error")]
    most = SHORT_OUTPUT_LINES if short else None
    printed = [] if result.output is None else output_lines(result.output, most=most)
    if result.status == "passed":
        held = len(result.identities)
        on = f" on {result.examples} generated inputs" if result.examples else ""
        return "\n".join([f"all {held} identities hold{on}", *printed]) + "\n"
    lines: list[str] = []
    if result.message:
        lines.extend(result.message.splitlines())
    if failing:
        lines.append(f"{len(failing)} of {len(result.identities)} identities fail:")
        for identity in failing:
            lines.extend(identity_details(identity))
    if result.hint:
        lines.append(f"hint: {result.hint}")
    lines.extend(printed)
    return "\n".join(lines) + "\n"
