"""Reads a Jupyter notebook into the code cells the worker runs; no student code runs here.

A notebook is read with nbformat: version 4 as it is, versions 1-3 upgraded to 4, anything
else refused.  Markdown and raw cells and every stored output are ignored.  What remains is
the ordered list of code cells, each numbered as a student finds it by scrolling: `number`
counts every cell from the top (markdown too), `code_number` counts code cells only.
Their IPython-only lines are left out by `grader.submission.ipython`.  The bytes come from
`grader.submission.source.open_submission`, which reads only a regular file (never a link
found in a submissions folder), as for a `.py` file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from grader.errors import SubmissionError
from grader.submission.ipython import Skipped, shown, strip_ipython

__all__ = [
    "MAX_BYTES",
    "MAX_CELLS",
    "Cell",
    "Notebook",
    "cell_label",
    "read_notebook",
]

MAX_BYTES = 32 * 1024 * 1024  # stored outputs (plots) make notebooks large; they are ignored
MAX_CELLS = 2_000  # code cells; each is one message to the worker


def cell_label(number: int, code_number: int) -> str:
    """How a report names a cell: "cell 4 (code cell 3)", or "cell 3" when the two agree."""
    if number == code_number:
        return f"cell {number}"
    return f"cell {number} (code cell {code_number})"


@dataclass(frozen=True, slots=True)
class Cell:
    """One code cell: where it is in the notebook and the Python it runs."""

    number: int  # position among all cells, from 1 (markdown cells count)
    code_number: int  # position among code cells, from 1
    source: str  # IPython-only lines replaced by `pass`

    @property
    def label(self) -> str:
        """How a report names the cell: "cell 4 (code cell 3)"."""
        return cell_label(self.number, self.code_number)

    @property
    def filename(self) -> str:
        """The file name its code is compiled with, so tracebacks say `<cell 4>`."""
        return f"<cell {self.number}>"


@dataclass(frozen=True, slots=True)
class Notebook:
    """The code cells of a notebook, in order, and the IPython-only lines left out."""

    cells: tuple[Cell, ...]
    skipped: tuple[Skipped, ...] = ()
    upgraded_from: int | None = None  # the nbformat version it was upgraded from

    @property
    def source(self) -> str:
        """All code cells as one text, for reading (the worker runs them cell by cell)."""
        return "".join(f"# {c.label}\n{c.source}\n\n" for c in self.cells)


def _text(value: Any) -> str:
    """A cell's source: nbformat stores a string or a list of strings."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "".join(value)
    raise ValueError("a cell's source is neither text nor a list of lines")


def _language(metadata: Any) -> str | None:
    if not isinstance(metadata, dict):
        return None
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return str(section[field])
    return None


def _upgrade(content: dict[str, Any], path: str) -> tuple[dict[str, Any], int | None]:
    """Version 4 of the notebook, upgraded with nbformat when it is older."""
    version = content.get("nbformat")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SubmissionError(
            f"{path} is not a Jupyter notebook (it has no `nbformat` version). "
            "Save it from Jupyter as a .ipynb file, or submit your code as a .py file."
        )
    if version == 4:
        return content, None
    if version > 4 or version < 1:
        raise SubmissionError(
            f"{path} is a notebook of format version {version}, which matgrade cannot read "
            "(it reads version 4 and upgrades 1-3). Save it with Jupyter as nbformat 4, "
            "or submit your code as a .py file."
        )
    import nbformat

    try:
        old = nbformat.from_dict(content)  # type: ignore[no-untyped-call]
        upgraded = nbformat.convert(old, 4)  # type: ignore[no-untyped-call]
    except Exception as exc:  # nbformat raises many kinds for a malformed old notebook
        raise SubmissionError(
            f"{path} is an old notebook (format version {version}) that cannot be upgraded to "
            f"version 4 ({type(exc).__name__}: {shown(str(exc), 200)}). Open it in Jupyter and save it "
            "again, which upgrades it, or submit your code as a .py file."
        ) from None
    if not isinstance(upgraded, dict) or upgraded.get("nbformat") != 4:
        raise SubmissionError(
            f"{path} is an old notebook (format version {version}) that cannot be upgraded to "
            "version 4. Open it in Jupyter and save it again, or submit your code as a .py file."
        )
    return dict(upgraded), version


def read_notebook(path: str, data: bytes) -> Notebook:
    """The code cells of the notebook held in `data`; SubmissionError says what is wrong."""
    try:
        text = data.decode("utf-8-sig")
        content = json.loads(text)
    except UnicodeDecodeError as exc:
        raise SubmissionError(
            f"{path} cannot be read as a notebook: it is not UTF-8 text (byte {exc.start}). "
            "Save it again from Jupyter."
        ) from None
    except json.JSONDecodeError as exc:
        raise SubmissionError(
            f"{path} cannot be read as a notebook: it is not valid JSON ({exc.msg}, line "
            f"{exc.lineno} column {exc.colno}). Was it cut short or edited by hand? Save it "
            "again from Jupyter, or submit your code as a .py file."
        ) from None
    except (ValueError, RecursionError):
        raise SubmissionError(
            f"{path} cannot be read as a notebook: it is not valid JSON. Save it again from Jupyter."
        ) from None
    if not isinstance(content, dict):
        raise SubmissionError(
            f"{path} cannot be read as a notebook: it holds JSON but not a notebook. "
            "Save it from Jupyter as a .ipynb file."
        )
    content, upgraded_from = _upgrade(content, path)
    language = _language(content.get("metadata"))
    if language is not None and language.lower() not in ("python", "python3", "ipython"):
        raise SubmissionError(
            f"{path} is a {shown(language, 40)} notebook; matgrade grades Python. "
            "Choose a Python kernel, or submit your code as a .py file."
        )
    raw_cells = content.get("cells")
    if not isinstance(raw_cells, list):
        raise SubmissionError(
            f"{path} cannot be read as a notebook: it has no list of cells. Save it again from Jupyter."
        )
    return _code_cells(path, raw_cells, upgraded_from)


def _code_cells(path: str, raw_cells: Sequence[Any], upgraded_from: int | None) -> Notebook:
    cells: list[Cell] = []
    skipped: list[Skipped] = []
    for number, raw in enumerate(raw_cells, start=1):
        if not isinstance(raw, dict) or raw.get("cell_type") != "code":
            continue  # markdown, raw and unknown cells are not run
        try:
            source = _text(raw.get("source", ""))
        except ValueError as exc:
            raise SubmissionError(
                f"{path}: cell {number} cannot be read ({exc}). Save the notebook again from Jupyter."
            ) from None
        if "\0" in source:
            raise SubmissionError(f"{path}: cell {number} holds a NUL character, which Python cannot run.")
        if len(cells) == MAX_CELLS:
            raise SubmissionError(
                f"{path} has more than {MAX_CELLS} code cells, the most a notebook may have. "
                "Merge or delete cells."
            )
        code, lines = strip_ipython(source, number)
        cells.append(Cell(number=number, code_number=len(cells) + 1, source=code))
        skipped.extend(lines)
    return Notebook(cells=tuple(cells), skipped=tuple(skipped), upgraded_from=upgraded_from)
