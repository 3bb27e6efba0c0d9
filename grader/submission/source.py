"""Reads a submission file into source code; no grading and no student code runs here.

A `.py` file is read as UTF-8 text; a `.ipynb` notebook is read by `grader.submission.notebook` into
its code cells.  Anything that cannot be read becomes a `SubmissionError` whose message says
what is wrong and what to do.  An empty `.py` file (or blank lines and comments only) is read:
it loads and defines nothing, so every exercise is `missing` and the report says the file is
empty (grader/grading/ungraded.py, `nothing_yet`).  A 0-byte `.ipynb` is not a notebook.

Only a regular file is ever read, checked with fstat on the descriptor that is read.  A path
the person grading typed may be a symbolic link (they chose it); a submission found in a folder
(`inside`: `grade batch`, Gradescope's run_autograder) is opened part by part with O_NOFOLLOW,
so a link a student planted there, to a classmate's file, the reference or a root-only file,
is refused with a message instead of being read.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from grader.errors import SubmissionError
from grader.submission.blank import Blank, blank

if TYPE_CHECKING:
    from grader.submission.notebook import Notebook

__all__ = ["MAX_BYTES", "Submission", "open_submission", "read_submission"]

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


def read_submission(path: str, *, inside: str | None = None) -> Submission:
    """Read `path` as a Python submission or notebook, or raise SubmissionError saying why not.

    Only a regular file is read (`open_submission`, which says how `inside` confines it), and
    never more than MAX_BYTES + 1 bytes of it: a FIFO, a device or a file that grows while it
    is read cannot hang or flood the grader.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    limit = MAX_BYTES
    if suffix == ".ipynb":
        from grader.submission.notebook import MAX_BYTES as limit
    with open_submission(path, inside=inside) as handle:
        try:
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


def open_submission(path: str, *, inside: str | None = None) -> BinaryIO:
    """The submission at `path`, open for reading in binary, checked to be a regular file.

    Without `inside` (a path the person grading typed), a symbolic link is followed: they
    chose it.  With `inside` (the folder the submission was found in: a batch's submissions
    folder, Gradescope's submission folder), `path` must lie in it and no part of it below
    `inside` may be a symbolic link: each part is opened with O_NOFOLLOW relative to the one
    before, so a link planted by a student (to a classmate's file, the reference, a file only
    root may read) is refused, even if it appears after the folder was listed.  The file is
    opened with O_NONBLOCK (a FIFO cannot block the open) and checked with fstat.

    Raises SubmissionError saying what is wrong and what to do.
    """
    file = Path(path)
    fd = _open_inside(path, inside) if inside is not None else _open_given(path)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise SubmissionError(f"{path} is a directory. Give the path of your .py file.")
        if file.suffix.lower() not in (".py", ".ipynb", ""):
            raise SubmissionError(f"{path}: a submission is a .py file or a .ipynb notebook.")
        if not stat.S_ISREG(mode):
            raise SubmissionError(
                f"{path} is not a regular file (a pipe or a device?). Give your .py file."
            )
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


# O_NONBLOCK: opening a FIFO returns at once (and is then refused by fstat) instead of
# waiting for a writer; it changes nothing for a regular file.
_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)


def _open_given(path: str) -> int:
    """Open a path the person grading gave, following links; refuse what is not a file first."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise SubmissionError(f"{path}: no such file. Check the path and try again.") from None
    except OSError as exc:
        raise SubmissionError(f"{path}: cannot read it ({exc.strerror}).") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        # Not even opened: opening a device can have effects of its own.
        _refuse_kind(path, mode)
    try:
        return os.open(path, _FLAGS)
    except OSError as exc:
        raise SubmissionError(f"{path}: cannot read it ({exc.strerror}).") from None


def _refuse_kind(path: str, mode: int) -> None:
    if Path(path).suffix.lower() not in (".py", ".ipynb", ""):
        raise SubmissionError(f"{path}: a submission is a .py file or a .ipynb notebook.")
    raise SubmissionError(f"{path} is not a regular file (a pipe or a device?). Give your .py file.")


def _open_inside(path: str, inside: str) -> int:
    """Open `path` part by part below `inside`, never following a link; the file's descriptor."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(inside))
    parts = Path(relative).parts
    if not parts or parts[0] == os.pardir or os.path.isabs(relative):
        raise SubmissionError(f"{path} is not inside {inside}, the folder it was found in.")
    try:
        folder = os.open(inside, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SubmissionError(f"{inside}: cannot open the folder ({exc.strerror}).") from None
    try:
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            shown = os.path.join(inside, *parts[: depth + 1])
            try:
                mode = os.lstat(part, dir_fd=folder).st_mode
            except FileNotFoundError:
                raise SubmissionError(f"{path}: no such file. Check the path and try again.") from None
            except OSError as exc:
                raise SubmissionError(f"{path}: cannot read it ({exc.strerror}).") from None
            if stat.S_ISLNK(mode):
                raise SubmissionError(_link_message(path, shown, _target(part, folder), last))
            if not last and not stat.S_ISDIR(mode):
                raise SubmissionError(f"{path}: {shown} is not a folder.")
            if last and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                _refuse_kind(path, mode)
            flags = _FLAGS | os.O_NOFOLLOW | (0 if last else os.O_DIRECTORY)
            try:
                opened = os.open(part, flags, dir_fd=folder)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.EMLINK, errno.ENOTDIR):  # swapped for a link since
                    raise SubmissionError(_link_message(path, shown, _target(part, folder), last)) from None
                raise SubmissionError(f"{path}: cannot read it ({exc.strerror}).") from None
            os.close(folder)
            folder = opened
    except BaseException:
        os.close(folder)
        raise
    return folder


def _target(name: str, folder: int) -> str:
    try:
        return os.readlink(name, dir_fd=folder)
    except OSError:
        return "?"


def _link_message(path: str, link: str, target: str, last: bool) -> str:
    """Why a link in a submissions folder is refused, and what to do."""
    what = f"{path} is a symbolic link" if last else f"{path} lies in {link}, a symbolic link"
    return (
        f"{what} (to {target}). matgrade grades only regular files inside the submission's own "
        "folder and does not follow links there: a link can lead to a classmate's file or the "
        "grader's. Submit the file itself, not a link to it (or replace the link with a copy "
        "of the file)."
    )


def _notebook(path: str, file: Path, data: bytes) -> Submission:
    from grader.submission.notebook import read_notebook

    if not data.strip():
        raise SubmissionError(f"{path} is empty. Save your notebook from Jupyter and grade it again.")
    notebook = read_notebook(path, data)
    return Submission(path=path, source=notebook.source, filename=str(file.resolve()), notebook=notebook)
