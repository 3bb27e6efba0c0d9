"""What a submissions folder holds: one submission per student, and every entry that is not one.

A submission is a `.py` file or a `.ipynb` notebook (the student is its stem), or a folder
holding exactly one of them (the student is the folder's name).  Every visible entry that is
not graded is in `Survey.ignored` with its reason; hidden ones (a name starting with ".")
are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Ignored", "Submission", "Survey", "discover", "survey"]

_SUFFIXES = (".py", ".ipynb")  # what a submission may be


@dataclass(frozen=True, slots=True)
class Submission:
    """One student's submission found in the folder; `problem` says why it cannot be graded."""

    student: str
    path: str | None
    problem: str = ""


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
        if entry.is_file() and entry.suffix in _SUFFIXES:
            student, path, problem = entry.stem, str(entry), ""
        elif entry.is_dir():
            files = _submission_files(entry)
            kinds = " and ".join(s for s in _SUFFIXES if any(p.suffix == s for p in files)) or ".py"
            student = entry.name
            path = str(files[0]) if len(files) == 1 else None
            problem = (
                ""
                if len(files) == 1
                else f"{entry} holds {len(files)} {kinds} files; a student's folder needs exactly one"
            )
        else:
            reason = "not a .py or .ipynb file"
            if not entry.is_file():
                reason += ", nor a folder"
            ignored.append(Ignored(entry.name, reason))
            continue
        if student in found:
            problem = f"two submissions for {student!r}: {found[student].path} and {entry}"
            path = None
        found[student] = Submission(student, path, problem)
    return Survey(tuple(found[s] for s in sorted(found)), tuple(ignored))


def _submission_files(folder: Path) -> list[Path]:
    """The visible .py and .ipynb files directly in a student's folder."""
    return sorted(
        p for p in folder.iterdir() if p.suffix in _SUFFIXES and not p.name.startswith(".") and p.is_file()
    )
