"""Reads a submission file into source code; no grading and no student code runs here.

A `.py` file is read as UTF-8 text; a `.ipynb` notebook is read by `grader.submission.notebook` into
its code cells.  Anything that cannot be read becomes a `SubmissionError` whose message says
what is wrong and what to do.  An empty `.py` file (or blank lines and comments only) is read:
it loads and defines nothing, so every exercise is `missing` and the report says the file is
empty (grader/grading/ungraded.py, `nothing_yet`).  A 0-byte `.ipynb` is not a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader.errors import SubmissionError
from grader.submission.blank import Blank, blank

if TYPE_CHECKING:
    from grader.submission.notebook import Notebook

__all__ = ["MAX_BYTES", "Submission", "read_submission"]

MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Submission:
    """A submission's source code, where it came from, and notes made while reading it."""

    path: str
    source: str
    filename: str
    notebook: Notebook | None = None  # a .ipynb: its code cells, run one by one

    @property
    def blank(self) -> Blank | None:
        """"empty" (no code), "stubs" (only functions raising NotImplementedError) or None."""
        return blank(self.source)


def read_submission(path: str) -> Submission:
    """Read `path` as a Python submission or notebook, or raise SubmissionError saying why not.

    Only a regular file is read, and never more than MAX_BYTES + 1 bytes of it: a FIFO, a
    device or a file that grows while it is read cannot hang or flood the grader.
    """
    file = Path(path)
    if not file.exists():
        raise SubmissionError(f"{path}: no such file. Check the path and try again.")
    if file.is_dir():
        raise SubmissionError(f"{path} is a directory. Give the path of your .py file.")
    suffix = file.suffix.lower()
    if suffix not in (".py", ".ipynb", ""):
        raise SubmissionError(f"{path}: a submission is a .py file or a .ipynb notebook.")
    if not file.is_file():
        raise SubmissionError(f"{path} is not a regular file (a pipe or a device?). Give your .py file.")
    limit = MAX_BYTES
    if suffix == ".ipynb":
        from grader.submission.notebook import MAX_BYTES as limit
    try:
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise SubmissionError(f"{path}: cannot read it ({exc.strerror}).") from None
    if len(data) > limit:
        advice = (
            "Clear its outputs in Jupyter (Edit > Clear Outputs of All Cells) and save it."
            if suffix == ".ipynb"
            else "Remove data or output pasted into it."
        )
        raise SubmissionError(
            f"{path} is larger than {limit // 1024} KiB, the most a submission may be. {advice}"
        )
    if suffix == ".ipynb":
        return _notebook(path, file, data)
    if b"\0" in data:
        raise SubmissionError(f"{path} is a binary file, not Python source code. Give your .py file.")
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubmissionError(
            f"{path} is not UTF-8 text (byte {exc.start} cannot be decoded). "
            "Save it as UTF-8 in your editor."
        ) from None
    return Submission(path=path, source=source, filename=str(file.resolve()))


def _notebook(path: str, file: Path, data: bytes) -> Submission:
    from grader.submission.notebook import read_notebook

    if not data.strip():
        raise SubmissionError(f"{path} is empty. Save your notebook from Jupyter and grade it again.")
    notebook = read_notebook(path, data)
    return Submission(path=path, source=notebook.source, filename=str(file.resolve()), notebook=notebook)
