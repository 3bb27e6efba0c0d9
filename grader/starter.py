"""Starter files for self-study: a `.py` or `.ipynb` with a stub per exercise of the chosen sets.

Each stub is `def name(params): ... raise NotImplementedError`, which the grader counts as
`missing`, so a starter graded as it is reports every exercise missing (exit 0) and never an
error.  Its docstring states the task, the inputs and their domain, the conventions (K-numbers
of the contract) and the section of the sources, in the words the failure hints use
("Read <section> again").  The task never gives the answer away (docs/exercises.md).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.errors import UsageError

if TYPE_CHECKING:
    from grader.exercise import Exercise

__all__ = [
    "Starter",
    "default_output",
    "select_starter",
    "starter_notebook",
    "starter_source",
    "write_starter",
]

_WIDTH = 88
_STUB = "    # Your answer here: replace the next line.\n    raise NotImplementedError\n"


@dataclass(frozen=True, slots=True)
class Starter:
    """A starter file that was written: where, in which form, with which exercises."""

    path: str
    notebook: bool
    exercises: tuple[str, ...]
    sets: tuple[str, ...]


def select_starter(words: Sequence[str]) -> list[Exercise]:
    """The exercises of the named sets (or exercises), in contract order; `all` names every set."""
    from grader.exercise import select_exercises

    if not words:
        raise UsageError("name a set (or `all`); `grade list` shows them")
    if "all" in words:
        return select_exercises(())
    return select_exercises(tuple(words))


def default_output(words: Sequence[str], notebook: bool) -> str:
    """`neuron.py` for one set, `scalar_loss.ipynb` for two, `all_sets.py` for all."""
    stem = "all_sets" if "all" in words else "_".join(w.rpartition(":")[2] for w in words)
    return f"{stem}.{'ipynb' if notebook else 'py'}"


def _set_title(name: str) -> str:
    from exercises.conventions import set_title

    return f"Set `{name}`: {set_title(name)}"


def _sets(exercises: Sequence[Exercise]) -> list[str]:
    return list(dict.fromkeys(e.set for e in exercises))


_GLUE = "\x00"


def _glued(text: str) -> str:
    """`text` with the spaces inside brackets and around " = " made unbreakable."""
    out, depth = [], 0
    for char in text.replace(" = ", f"{_GLUE}={_GLUE}"):
        depth += (char in "([") - (char in ")]")
        out.append(_GLUE if char == " " and depth > 0 else char)
    return "".join(out)


def _wrap(text: str, width: int, indent: str = "", subsequent: str = "") -> list[str]:
    """Wrapped lines that never break "(n_out, n_in)", "[-2, 2]" or "z = 0" apart."""
    lines = textwrap.wrap(_glued(text), width=width, initial_indent=indent, subsequent_indent=subsequent)
    return [line.replace(_GLUE, " ") for line in lines]


def _fill(text: str, indent: str, width: int = _WIDTH) -> list[str]:
    return _wrap(text, width, indent, indent + "    ")


def _docstring_lines(exercise: Exercise) -> list[str]:
    """The docstring's lines, without quotes or indentation: task, inputs, conventions, section."""
    from exercises.conventions import CONVENTIONS, conventions_of, inputs_of

    lines = _wrap(exercise.task, _WIDTH - 8)  # the first line follows 4 spaces and """
    lines += ["", "Inputs:"]
    for line in inputs_of(exercise):
        lines += _fill(line, "    ", _WIDTH - 4)
    known = [k for k in conventions_of(exercise) if k in CONVENTIONS]
    if known:
        lines.append("Conventions:")
        for k in known:
            lines += _fill(f"{k}: {CONVENTIONS[k]}", "    ", _WIDTH - 4)
    lines += [f"Section: {exercise.section}"]
    return lines


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _stub(exercise: Exercise) -> str:
    doc = [_escape(line) for line in _docstring_lines(exercise)]
    body = "\n".join(f"    {line}" if line else "" for line in doc)
    return f'def {exercise.signature}:\n    """{body.lstrip()}\n    """\n{_STUB}'


def _how_to_grade(filename: str, exercises: Sequence[Exercise], packs: Sequence[str] = ()) -> list[str]:
    from exercises import set_names
    from exercises.conventions import sources_text

    first = exercises[0].name if exercises else "NAME"
    only = f"exercise:{first}" if first in set_names() else first
    given = "".join(f" --pack {p}" for p in packs)
    return [
        "Write each function in place of its `raise NotImplementedError`, then grade the file:",
        "",
        f"    grade {filename}{given}",
        f"    grade {filename}{given} --only {only}      # one exercise",
        "",
        "A function that still raises NotImplementedError is `missing`, not wrong.  A failing",
        "exercise is reported with the smallest input it fails on and a hint naming the",
        "section to read again (the Section of its docstring).  The conventions (K1-K14) are",
        "those of the exercise contract; each docstring lists the ones that apply.",
        "",
        *textwrap.wrap(sources_text(), width=_WIDTH),
        "",
        *_check_lines(packs),
    ]


def _check_lines(packs: Sequence[str]) -> list[str]:
    """How to check one function in a session (with the pack, when the starter has one)."""
    if not packs:
        return [
            "In Jupyter or a Python session, `from matgrade import check; check(function)` checks",
            "one function: it runs in a separate process, as `grade` runs it.",
        ]
    return [
        f'In Jupyter or a Python session, `from matgrade import check; check(function, pack="{packs[0]}")`',
        "checks one function: it runs in a separate process, as `grade` runs it.",
    ]


def starter_source(exercises: Sequence[Exercise], filename: str, packs: Sequence[str] = ()) -> str:
    """The text of a starter `.py` named `filename` with a stub per exercise."""
    sets = _sets(exercises)
    plural = "" if len(sets) == 1 else "s"
    header = [f"matgrade starter: set{plural} {', '.join(sets)} ({len(exercises)} exercises).", ""]
    header += _how_to_grade(filename, exercises, packs)
    out = ['"""' + "\n".join(header) + '\n"""', "", "import math", "", "import numpy as np", ""]
    for name in sets:
        title = f"# ---- {_set_title(name)} "
        out += ["", "", title + "-" * max(4, _WIDTH - len(title))]
        for exercise in (e for e in exercises if e.set == name):
            out += ["", "", _stub(exercise).rstrip("\n")]
    return "\n".join(out) + "\n"


def _markdown(exercise: Exercise) -> str:
    from exercises.conventions import CONVENTIONS, conventions_of, inputs_of

    lines = [f"### `{exercise.signature}`", "", exercise.task, "", "**Inputs**", ""]
    lines += [f"- {line}" for line in inputs_of(exercise)]
    known = [k for k in conventions_of(exercise) if k in CONVENTIONS]
    if known:
        lines += ["", "**Conventions**", ""]
        lines += [f"- {k}: {CONVENTIONS[k]}" for k in known]
    lines += ["", f"**Section:** {exercise.section}"]
    return "\n".join(lines)


def starter_notebook(exercises: Sequence[Exercise], filename: str, packs: Sequence[str] = ()) -> str:
    """A starter notebook (nbformat v4, JSON) named `filename`: per exercise a markdown cell, a stub."""
    import importlib

    nbformat: Any = importlib.import_module("nbformat")  # untyped; imported only here
    v4 = nbformat.v4

    sets = _sets(exercises)
    plural = "" if len(sets) == 1 else "s"
    intro = [f"# matgrade starter: set{plural} {', '.join(sets)}", ""]
    intro += _how_to_grade(filename, exercises, packs)
    cells = [v4.new_markdown_cell("\n".join(intro)), v4.new_code_cell("import math\n\nimport numpy as np")]
    for name in sets:
        cells.append(v4.new_markdown_cell(f"## {_set_title(name)}"))
        for exercise in (e for e in exercises if e.set == name):
            cells.append(v4.new_markdown_cell(_markdown(exercise)))
            cells.append(v4.new_code_cell(_stub(exercise).rstrip("\n")))
    notebook = v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(notebook)
    text: str = nbformat.writes(notebook)
    return text + "\n"


def write_starter(
    words: Sequence[str],
    output: str | None = None,
    *,
    notebook: bool = False,
    force: bool = False,
    packs: Sequence[str] = (),
) -> Starter:
    """Write the starter of the named sets to `output` (default: see default_output).

    Raises UsageError for an unknown set, an existing file without `force`, or a file that
    cannot be written.
    """
    if packs:
        from grader.pack.loading import use_packs

        loaded = use_packs(packs)
        words = tuple(words) or tuple(p.name for p in loaded)
    exercises = select_starter(words)
    path = Path(output or default_output(words, notebook))
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give a file name with -o")
    if path.exists() and not force:
        raise UsageError(f"{path} exists; give another name with -o, or --force to overwrite it")
    build = starter_notebook if notebook else starter_source
    text = build(exercises, path.name, packs)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    return Starter(
        path=str(path),
        notebook=notebook,
        exercises=tuple(e.name for e in exercises),
        sets=tuple(_sets(exercises)),
    )
