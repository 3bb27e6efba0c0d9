"""Reads a submission file into source code; no grading and no student code runs here.

A `.py` file is read as UTF-8 text.  Anything that cannot be read becomes a
`SubmissionError` whose message says what is wrong and what to do.  (Notebooks are read
by `grader.notebook`.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.errors import SubmissionError

__all__ = ["MAX_BYTES", "Submission", "read_submission"]

MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Submission:
    """A submission's source code, where it came from, and notes made while reading it."""

    path: str
    source: str
    filename: str


def read_submission(path: str) -> Submission:
    """Read `path` as a Python submission, or raise SubmissionError saying why not."""
    file = Path(path)
    if not file.exists():
        raise SubmissionError(f"{path}: no such file. Check the path and try again.")
    if file.is_dir():
        raise SubmissionError(f"{path} is a directory. Give the path of your .py file.")
    if file.suffix.lower() not in (".py", ""):
        raise SubmissionError(f"{path}: a submission is a .py file (notebooks are not supported yet).")
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise SubmissionError(
                f"{path} is {size // 1024} KiB; a submission may be at most {MAX_BYTES // 1024} KiB."
            )
        data = file.read_bytes()
    except OSError as exc:
        raise SubmissionError(f"{path}: cannot read it ({exc.strerror}).") from None
    if not data.strip():
        raise SubmissionError(f"{path} is empty. Write your functions in it, or start from `grade start`.")
    if b"\0" in data:
        raise SubmissionError(f"{path} is a binary file, not Python source code.")
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubmissionError(
            f"{path} is not UTF-8 text (byte {exc.start} cannot be decoded). "
            "Save it as UTF-8 in your editor."
        ) from None
    return Submission(path=path, source=source, filename=str(file.resolve()))
