"""What a submissions folder holds: one submission per student, and every entry that is not one.

A submission is a `.py` file or a `.ipynb` notebook (the student is its stem), or a folder
holding exactly one of them (the student is the folder's name).  Every visible entry that is
not graded is in `Survey.ignored` with its reason; hidden ones (a name starting with ".")
are left out.

Invariants:
- A symbolic link is never a submission: a student (or their folder) that is a link, or
  whose one file is, is `invalid` with a message saying so (a link can lead to a
  classmate's file, the reference or a root-only file).  Links are not followed to look
  for files either.
- Each student has an output `folder` that is a safe name whatever their own name is
  (`folder_name`): ASCII letters, digits and `-_.`, not starting with `.` or `-`, at most
  MAX_FOLDER characters, never a name the batch writes itself (RESERVED) or a device name
  of Windows, and unique even where case does not count (a later clash gets `-2`, `-3`).
  The folders depend only on the set of student names, so a re-run finds its stamps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MAX_FOLDER",
    "RESERVED",
    "Ignored",
    "Submission",
    "Survey",
    "discover",
    "folder_name",
    "folder_names",
    "survey",
]

_SUFFIXES = (".py", ".ipynb")  # what a submission may be
MAX_FOLDER = 64  # characters of a student's output folder name
# What the batch writes (or may write) at the top of OUTDIR: never a student's folder.
RESERVED = frozenset(
    {"gradebook.csv", "gradebook", "class-report.html", "class-report", "index.html"}
    | {"mistakes.csv", "mistakes"}
)
_WINDOWS = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Submission:
    """One student's submission found in the folder; `problem` says why it cannot be graded."""

    student: str
    path: str | None
    problem: str = ""
    folder: str = ""  # the student's output folder in OUTDIR: a safe, unique name (folder_name)


@dataclass(frozen=True, slots=True)
class Ignored:
    """An entry of the submissions folder that is not a submission, and why."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Survey:
    """What a submissions folder holds: the submissions, and every other (visible) entry."""

    submissions: tuple[Submission, ...]
    ignored: tuple[Ignored, ...] = ()


def discover(folder: str) -> list[Submission]:
    """The submissions in `folder`, sorted by student; hidden entries are ignored."""
    return list(survey(folder).submissions)


def survey(folder: str, outdir: str | None = None) -> Survey:
    """The submissions in `folder`, sorted by student, and the entries that are not graded.

    The entry of `folder` that is or holds `outdir` is not a submission (a batch must not
    grade its own output).  Raises UsageError when `outdir` is `folder` itself, or lies in
    a student's folder.
    """
    from grader.errors import UsageError

    root = Path(folder)
    excluded = ""
    if outdir is not None:
        inside, there = root.resolve(), Path(outdir).resolve()
        if there == inside:
            raise UsageError(
                f"the output folder {outdir} is the submissions folder: its reports would be "
                "graded as submissions on the next run; pick another -o "
                f"(e.g. {root.resolve().name}-graded next to it)"
            )
        if there.is_relative_to(inside):
            excluded = there.relative_to(inside).parts[0]
            holder = inside / excluded
            if holder != there and holder.is_dir() and any(_submission_files(holder)):
                raise UsageError(
                    f"the output folder {outdir} is inside the student folder {holder.name}; "
                    "pick an -o outside the student folders"
                )
    found: dict[str, Submission] = {}
    ignored: list[Ignored] = []
    for entry in sorted(root.iterdir()):
        path: str | None
        if entry.name.startswith("."):
            continue  # hidden: .DS_Store, .ipynb_checkpoints, .git (documented in the README)
        if entry.name == excluded:
            ignored.append(Ignored(entry.name, "it is or holds the output folder (-o)"))
            continue
        if entry.name.startswith("_"):
            ignored.append(Ignored(entry.name, "a name starting with _ is not a student's"))
            continue
        named = entry.suffix in _SUFFIXES
        if entry.is_symlink() and (named or entry.is_dir()):
            # Refused, not followed: the row says so (open_submission's message).
            student = entry.stem if named else entry.name
            path, problem = None, _problem(entry, root)
        elif entry.is_file() and named:
            student, path = entry.stem, str(entry)
            problem = _problem(entry, root)
            path = None if problem else path
        elif entry.is_dir() and not entry.is_symlink():
            files = _submission_files(entry)
            kinds = " and ".join(s for s in _SUFFIXES if any(p.suffix == s for p in files)) or ".py"
            student = entry.name
            path = str(files[0]) if len(files) == 1 else None
            problem = (
                _problem(files[0], root)
                if len(files) == 1
                else f"{entry} holds {len(files)} {kinds} files; a student's folder needs exactly one"
            )
            path = None if problem else path
        else:
            reason = "not a .py or .ipynb file"
            if entry.is_symlink():
                reason = "a symbolic link (links are not followed)"
            elif not entry.is_file():
                reason += ", nor a folder"
            ignored.append(Ignored(entry.name, reason))
            continue
        if student in found:
            problem = f"two submissions for {student!r}: {found[student].path} and {entry}"
            path = None
        found[student] = Submission(student, path, problem)
    folders = folder_names(found)
    return Survey(
        tuple(
            Submission(s, found[s].path, found[s].problem, folders[s]) for s in sorted(found)
        ),
        tuple(ignored),
    )


def _problem(path: Path, root: Path) -> str:
    """Why the file at `path` cannot be a submission (a link, not a regular file), or ""."""
    from grader.errors import SubmissionError
    from grader.submission.source import open_submission

    try:
        open_submission(str(path), inside=str(root)).close()
    except SubmissionError as exc:
        return str(exc)
    return ""


def folder_name(name: str) -> str:
    """A safe folder name for a student named `name`, before uniqueness (folder_names).

    Accents are dropped (José -> Jose), every run of other characters becomes `_`, a
    leading `.` `-` `_` and a trailing `.` are removed, and the result is cut to MAX_FOLDER
    characters; nothing left gives "student".
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _UNSAFE.sub("_", text).lstrip("._-")[:MAX_FOLDER].rstrip(".")
    if not text:
        return "student"
    if text.split(".")[0].lower() in _WINDOWS:
        text = f"{text[: MAX_FOLDER - 1]}_"
    return text


def folder_names(students: Iterable[str]) -> dict[str, str]:
    """Each student's output folder: `folder_name`, made unique in name order, case ignored."""
    taken = {name.lower() for name in RESERVED}
    folders: dict[str, str] = {}
    for student in sorted(students):
        base = folder_name(student)
        candidate, number = base, 1
        while candidate.lower() in taken:
            number += 1
            suffix = f"-{number}"
            candidate = f"{base[: MAX_FOLDER - len(suffix)]}{suffix}"
        taken.add(candidate.lower())
        folders[student] = candidate
    return folders


def _submission_files(folder: Path) -> list[Path]:
    """The visible .py and .ipynb files directly in a student's folder, and links so named."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in _SUFFIXES and not p.name.startswith(".") and (p.is_symlink() or p.is_file())
    )
