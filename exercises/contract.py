"""The exercise contract, docs/exercises.md, written from the declarations.

Every exercise a student can submit (function name, signature, results and their shapes,
inputs and their domains, the conventions that apply, the section of the sources) comes from
`exercises.all_exercises()` and `exercises.conventions`; nothing about an exercise is
written here.  `python -m exercises.contract docs/exercises.md` rewrites the file, and
tests/exercises/test_contract.py fails when the file differs from `contract_markdown()`, so
the two cannot drift apart.  Without an argument the contract is printed, so an installed
matgrade can show it too.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.exercise import Exercise

__all__ = ["COMMAND", "contract_markdown", "main"]

COMMAND = "python -m exercises.contract docs/exercises.md"

_INTRO = """\
This is the student-facing contract of matgrade: every exercise a student can submit, by the
exact function name the grader looks for, its signature, the inputs it receives and their
domains, the results it returns and their shapes, and the conventions it follows.  Student
files, starter notebooks, course CI set-ups and the grader's own tests depend on these names:
new exercises may be added; none is renamed or removed.

`grade list` shows the same exercises with their tasks; `grade start SET` writes a starter
file with a documented stub per exercise.  A function a submission does not define is
`missing`, never wrong."""


def _named(line: str, names: Sequence[str]) -> str:
    """ "x: a float" as "`x`: a float" when x is one of `names` (not for "domain: ...")."""
    name, colon, rest = line.partition(": ")
    return f"`{name}`{colon}{rest}" if name in names else line


def _exercise(exercise: Exercise) -> list[str]:
    from exercises.conventions import EVERYWHERE, conventions_of, inputs_of, returns_of

    lines = [f"### `{exercise.signature}`", "", exercise.task, ""]
    returns = [_named(line, exercise.results) for line in returns_of(exercise)]
    if len(returns) == 1:
        lines.append(f"- returns {returns[0]}")
    else:
        lines.append("- returns a tuple (K10):")
        lines += [f"  - {line}" for line in returns]
    lines.append("- inputs:")
    lines += [f"  - {_named(line, exercise.params)}" for line in inputs_of(exercise)]
    own = [k for k in conventions_of(exercise) if k not in EVERYWHERE]
    lines.append(f"- conventions: {', '.join([*own, *EVERYWHERE])}")
    lines.append(f"- section: {exercise.section}")
    answers = "a function or a formula" if exercise.symbolic is not None else "a function"
    lines += [f"- answered by: {answers}", ""]
    return lines


def contract_markdown(exercises: Sequence[Exercise] | None = None) -> str:
    """The text of docs/exercises.md for `exercises` (default: every exercise, in order)."""
    from exercises import all_exercises
    from exercises.conventions import (
        CONTAINERS,
        CONVENTIONS,
        EVERYWHERE,
        FORMULAS,
        SOURCES,
        set_notes,
        set_title,
    )

    chosen = tuple(all_exercises() if exercises is None else exercises)
    sets = list(dict.fromkeys(e.set for e in chosen))
    out = [
        "# The exercise contract",
        "",
        f"<!-- Generated from exercises/ by `{COMMAND}`; do not edit by hand. -->",
        "",
        _INTRO,
        "",
        f"{len(chosen)} exercises in {len(sets)} sets: "
        + ", ".join(f"[`{name}`](#set-{name})" for name in sets)
        + ".",
        "",
        "## Conventions",
        "",
        "They hold for every exercise; each exercise lists those that matter to it, "
        f"ending with {', '.join(EVERYWHERE)}, which hold everywhere.",
        "",
        "| # | convention |",
        "|---|---|",
        *(f"| {k} | {text} |" for k, text in CONVENTIONS.items()),
        "",
        CONTAINERS,
        "",
        "## Formula answers",
        "",
        FORMULAS,
        "",
        "## Sources",
        "",
        'Each exercise names the section of its source, as the hints do ("Read P&H §5 ... again"):',
        "",
        *(f"- {short}: {full}" for short, full in SOURCES.items()),
        "",
    ]
    for name in sets:
        members = [e for e in chosen if e.set == name]
        title = set_title(name)
        out += [f"## Set `{name}`", "", f"{title[:1].upper()}{title[1:]}; {len(members)} exercises.", ""]
        notes = set_notes(name)
        if notes:
            out += [notes, ""]
        for exercise in members:
            out += _exercise(exercise)
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the contract to the path given, or print it; 2 with a usage line otherwise."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print(f"usage: {COMMAND.rsplit(' ', 1)[0]} [PATH]", file=sys.stderr)
        return 2
    text = contract_markdown()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
