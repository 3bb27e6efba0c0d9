"""The checks of an uploaded file, before anything is stored: its name, kind, size and text.

Each refusal is an `Refused(status, message)` that the API answers as JSON.  What passes is
a `.py` file of UTF-8 text, or a `.ipynb` notebook that is a JSON object with at most
MAX_CELLS cells; the bytes are stored unchanged and graded as `grade` would (a notebook's
nbformat version and cells are then checked again by grading, which reports what is wrong).
Binary data (a zip, a zip bomb, an image) is refused as not UTF-8 text: nothing is ever
decompressed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

__all__ = ["MAX_CELLS", "Accepted", "Refused", "check_upload"]

MAX_CELLS = 2_000  # a course notebook has tens of cells; 10,000 is an attack on the grader's time
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\- ]{0,99}")


class Refused(Exception):
    """An upload the service will not take: the HTTP status, what to do, and for 429 when to retry."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Accepted:
    """An upload that passed: its safe file name, bytes and their SHA-256."""

    filename: str
    data: bytes
    sha256: str


def _filename(name: str | None) -> str:
    if not name:
        raise Refused(422, "the upload has no file name; send the file as `file` with its name (hw1.py)")
    if "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
        raise Refused(
            422, f"the file name {name[:100]!r} holds a path; send the file under its own name (hw1.py)"
        )
    if not _NAME.fullmatch(name):
        raise Refused(
            422,
            f"the file name {name[:100]!r} is not allowed: use letters, digits, `_ - .` and spaces, "
            "at most 100 characters, not starting with `.`",
        )
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ("py", "ipynb"):
        raise Refused(422, f"{name!r} is not a .py file or a .ipynb notebook; upload your .py or .ipynb file")
    return name


def check_upload(name: str | None, data: bytes, max_kb: int) -> Accepted:
    """The upload `data` named `name`, checked; raises Refused saying what is wrong."""
    filename = _filename(name)
    if len(data) > max_kb * 1024:
        raise Refused(
            413, f"{filename} is {-(-len(data) // 1024)} KiB; this assignment takes at most {max_kb} KiB"
        )
    if not data.strip():
        raise Refused(422, f"{filename} is empty; upload the file with your answers")
    if b"\0" in data:
        raise Refused(
            422, f"{filename} is a binary file (a zip?), not Python source; upload the .py or .ipynb itself"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(
            422, f"{filename} is not UTF-8 text (byte {exc.start} cannot be decoded); save it as UTF-8"
        ) from None
    if filename.lower().endswith(".ipynb"):
        try:
            notebook = json.loads(text)
        except ValueError:
            raise Refused(
                422, f"{filename} is not a notebook (not JSON); save it from Jupyter and upload it again"
            ) from None
        cells = notebook.get("cells") if isinstance(notebook, dict) else None
        if not isinstance(cells, list):
            if not (isinstance(notebook, dict) and isinstance(notebook.get("worksheets"), list)):
                raise Refused(422, f"{filename} is not a Jupyter notebook (no cells)")
            cells = [c for w in notebook["worksheets"] if isinstance(w, dict) for c in w.get("cells") or ()]
        if len(cells) > MAX_CELLS:
            raise Refused(
                422,
                f"{filename} has {len(cells):,} cells; a submission may have at most {MAX_CELLS:,}: "
                "keep the cells with your answers",
            )
    return Accepted(filename=filename, data=data, sha256=hashlib.sha256(data).hexdigest())
