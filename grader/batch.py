"""Batch grading: every submission in a folder, in parallel processes, into a gradebook.

A submission is a `.py` file or a `.ipynb` notebook (the student is its stem), or a folder
holding exactly one of them (the student is the folder's name).  Each student is graded by `grade()` in a
batch process of its own (forked, `jobs` at a time), which writes OUTDIR/<student>/
report.json, the chosen formats, then a stamp `.matgrade-batch.json` holding a hash of the
submission's bytes and the settings and the report's exit code.  The parent only watches:
a batch process that dies or overruns its budget is recorded as `crashed` or `timed-out`,
and the batch goes on.  A student whose stamp matches is not graded again.

Invariant: OUTDIR/gradebook.csv has one row per submission found, in name order, whatever
happened to each.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from grader import __version__
from grader.assignment import AssignedExercise, Assignment
from grader.render import SUFFIXES, render

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from grader.grading import Options
    from grader.report import Report

__all__ = [
    "STAMP",
    "BatchResult",
    "Row",
    "Submission",
    "default_assignment",
    "discover",
    "grade_batch",
]

STAMP = ".matgrade-batch.json"
_SUFFIXES = (".py", ".ipynb")  # what a submission may be
_STATUS = {0: "passed", 1: "failed", 2: "unloadable"}

Grader = Callable[[str, "Options"], "Report"]


@dataclass(frozen=True, slots=True)
class Submission:
    """One student's submission found in the folder; `problem` says why it cannot be graded."""

    student: str
    path: str | None
    problem: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the gradebook.

    status: passed | failed | unloadable (from the report's exit code), crashed, timed-out
    (the batch process itself), invalid (no single .py or .ipynb file).  `reused` when the stamp
    matched and the student was not graded again.
    """

    student: str
    status: str
    score: float
    max_score: float
    exercises: tuple[tuple[str, float], ...] = ()
    message: str = ""
    reused: bool = False


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The rows of the gradebook, and where it was written."""

    rows: tuple[Row, ...]
    gradebook: str


def default_assignment() -> Assignment:
    """Every exercise at its own points, with the default fixed seed: `grade batch` without --assignment."""
    from exercises import all_exercises
    from grader.grading import DEFAULT_SEED

    return Assignment(
        title="",
        exercises=tuple(AssignedExercise(e.name, e.points, "visible") for e in all_exercises()),
        seed=DEFAULT_SEED,
    )


def discover(folder: str) -> list[Submission]:
    """The submissions in `folder`, sorted by student; hidden entries are ignored."""
    root = Path(folder)
    found: dict[str, Submission] = {}
    for entry in sorted(root.iterdir()):
        path: str | None
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_file() and entry.suffix in _SUFFIXES:
            student, path, problem = entry.stem, str(entry), ""
        elif entry.is_dir():
            files = sorted(
                p for p in entry.iterdir() if p.suffix in _SUFFIXES and not p.name.startswith(".")
            )
            files = [p for p in files if p.is_file()]
            kinds = " and ".join(s for s in _SUFFIXES if any(p.suffix == s for p in files)) or ".py"
            student = entry.name
            path = str(files[0]) if len(files) == 1 else None
            problem = (
                ""
                if len(files) == 1
                else f"{entry} holds {len(files)} {kinds} files; a student's folder needs exactly one"
            )
        else:
            continue
        if student in found:
            problem = f"two submissions for {student!r}: {found[student].path} and {entry}"
            path = None
        found[student] = Submission(student, path, problem)
    return [found[s] for s in sorted(found)]


def _fingerprint(path: str, options: Options, formats: Sequence[str], assignment: Assignment) -> str:
    digest = hashlib.sha256()
    digest.update(Path(path).read_bytes())
    # repr of frozen dataclasses lists every field in order: any changed setting changes it.
    visible = f"{assignment.visibilities}|{assignment.visibility}"
    settings = f"{__version__}|{options!r}|{sorted(formats)}|{visible}"
    digest.update(settings.encode())
    return digest.hexdigest()


def _stamp(folder: Path) -> dict[str, object] | None:
    try:
        data = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _row_from_files(student: str, folder: Path, exit_code: int, reused: bool) -> Row:
    data = json.loads((folder / SUFFIXES["json"]).read_text(encoding="utf-8"))
    errors = data.get("errors") or []
    return Row(
        student=student,
        status=_STATUS.get(exit_code, "unloadable"),
        score=float(data["score"]),
        max_score=float(data["max_score"]),
        exercises=tuple((e["name"], float(e["score"])) for e in data["exercises"]),
        message=str(errors[0]).splitlines()[0] if errors else "",
        reused=reused,
    )


def _write_student(
    report: Report, folder: Path, formats: Sequence[str], assignment: Assignment, stamp: str
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for fmt in dict.fromkeys(("json", *formats)):
        text = render(
            report,
            fmt,
            visibility=assignment.visibilities,
            default_visibility=assignment.visibility,
        )
        (folder / SUFFIXES[fmt]).write_text(text, encoding="utf-8")
    # The stamp is written last: its presence means every other file is complete.
    record = {"hash": stamp, "exit_code": report.exit_code}
    (folder / STAMP).write_text(json.dumps(record) + "\n", encoding="utf-8")


def _warm() -> None:
    """Import what grading imports on first use, once, so that each forked child starts warm."""
    import importlib

    import sympy

    from exercises import all_exercises

    for module in (
        "hypothesis",
        "hypothesis.strategies",
        "numpy.random",
        "concurrent.futures",
        "grader.checker",
        "grader.strategies",
        "grader.submission",
        "grader.sandbox",
    ):
        importlib.import_module(module)
    all_exercises()
    # The symbolic references are lambdified on first use; the first lambdify loads numpy's
    # whole namespace (about half a second), which would otherwise be paid in every child.
    x = sympy.Symbol("x")
    sympy.lambdify(x, x, "numpy")


def _prepare_shared(queue: Sequence[tuple[Submission, Options, str]]) -> None:
    """Draw, before forking, the inputs that two students or more are graded on.

    Students with the same seed and examples get the same inputs; drawing them (and their
    reference values) once here saves each forked child the work (grader/plan.py).  With
    `seed = "student"` every student has their own, and each child draws its own.
    """
    from collections import Counter

    from grader.grading import prepare

    shared = Counter((options.seed, options.examples, options.only) for _, options, _ in queue)
    for _, options, _ in queue:
        key = (options.seed, options.examples, options.only)
        if shared.get(key, 0) >= 2:
            prepare(options)
            del shared[key]


def _grade_one(path: str, options: Options) -> Report:
    from grader.grading import grade

    return grade(path, options)


def _child(
    grader: Grader,
    path: str,
    options: Options,
    folder: Path,
    formats: Sequence[str],
    assignment: Assignment,
    stamp: str,
) -> None:
    os.setsid()  # its own process group, so that a timeout kills everything it started
    try:
        report = grader(path, options)
        _write_student(report, folder, formats, assignment, stamp)
    except BaseException as exc:  # recorded by the parent from the exit code; never re-raised
        try:
            (folder / "batch-error.txt").write_text(f"{type(exc).__name__}: {exc}\n", encoding="utf-8")
        finally:
            os._exit(3)
    os._exit(0)


def _failed_row(student: str, status: str, assignment: Assignment, message: str) -> Row:
    return Row(
        student=student,
        status=status,
        score=0.0,
        max_score=sum(e.points for e in assignment.exercises),
        message=message,
    )


def _write_gradebook(path: Path, rows: Sequence[Row], assignment: Assignment) -> None:
    names = [e.name for e in assignment.exercises]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["student", "score", "max_score", *names, "status", "message"])
        for row in rows:
            scores = dict(row.exercises)
            cells = [f"{scores[n]:g}" if n in scores else "" for n in names]
            writer.writerow(
                [row.student, f"{row.score:g}", f"{row.max_score:g}", *cells, row.status, row.message]
            )


def grade_batch(
    folder: str,
    outdir: str,
    assignment: Assignment | None = None,
    *,
    formats: Sequence[str] = (),
    jobs: int | None = None,
    adjust: Callable[[Options], Options] | None = None,
    progress: Callable[[int, int, Row], None] | None = None,
    grader: Grader = _grade_one,
    student_seconds: float | None = None,
) -> BatchResult:
    """Grade every submission in `folder` into `outdir` and write outdir/gradebook.csv.

    `adjust` changes each student's Options (the CLI's --examples, --timeout); `grader` is
    grade() unless a test fakes it; `student_seconds` bounds one batch process (default:
    the submission limit plus a minute).  Raises UsageError when `folder` is not a folder.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    from grader.errors import UsageError

    if not Path(folder).is_dir():
        raise UsageError(f"{folder} is not a folder of submissions")
    assignment = assignment or default_assignment()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    _warm()
    context = multiprocessing.get_context("fork")
    submissions = discover(folder)
    total = len(submissions)
    rows: dict[str, Row] = {}
    queue: list[tuple[Submission, Options, str]] = []

    def finish(row: Row) -> None:
        rows[row.student] = row
        if progress is not None:
            progress(len(rows), total, row)

    for sub in submissions:
        if sub.path is None:
            finish(_failed_row(sub.student, "invalid", assignment, sub.problem))
            continue
        options = replace(assignment.options(sub.student), jobs=1)
        if adjust is not None:
            options = adjust(options)
        stamp = _fingerprint(sub.path, options, formats, assignment)
        previous = _stamp(out / sub.student)
        if previous is not None and previous.get("hash") == stamp:
            try:
                finish(_row_from_files(sub.student, out / sub.student, int(str(previous["exit_code"])), True))
                continue
            except (OSError, ValueError, KeyError, TypeError):
                pass  # an unreadable report: grade again
        queue.append((sub, options, stamp))

    if grader is _grade_one:
        _prepare_shared(queue)
    running: dict[int, tuple[BaseProcess, Submission, float]] = {}
    width = max(1, jobs or os.cpu_count() or 1)
    while queue or running:
        while queue and len(running) < width:
            sub, options, stamp = queue.pop(0)
            folder_out = out / sub.student
            folder_out.mkdir(parents=True, exist_ok=True)
            for stale in (STAMP, "batch-error.txt"):
                (folder_out / stale).unlink(missing_ok=True)
            assert sub.path is not None
            budget = student_seconds or options.limits.submission_seconds + 60
            process: BaseProcess = context.Process(
                target=_child,
                args=(grader, sub.path, options, folder_out, formats, assignment, stamp),
                daemon=False,
            )
            process.start()
            running[process.sentinel] = (process, sub, time.monotonic() + budget)
        wait(list(running), timeout=0.2)
        now = time.monotonic()
        for sentinel, (process, sub, deadline) in list(running.items()):
            if process.exitcode is None and now < deadline:
                continue
            if process.exitcode is None:
                _kill(process)
                del running[sentinel]
                finish(_failed_row(sub.student, "timed-out", assignment, "grading took too long; killed"))
                continue
            process.join()
            del running[sentinel]
            finish(_collected(sub.student, out / sub.student, process.exitcode, assignment))
    ordered = tuple(rows[s.student] for s in submissions)
    gradebook = out / "gradebook.csv"
    _write_gradebook(gradebook, ordered, assignment)
    return BatchResult(rows=ordered, gradebook=str(gradebook))


def _collected(student: str, folder: Path, exitcode: int, assignment: Assignment) -> Row:
    """The row of a batch process that has exited: its report, or what killed it."""
    stamp = _stamp(folder)
    if exitcode == 0 and stamp is not None:
        try:
            return _row_from_files(student, folder, int(str(stamp["exit_code"])), False)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return _failed_row(student, "crashed", assignment, f"unreadable report: {exc}")
    detail = ""
    with contextlib.suppress(OSError):
        detail = (folder / "batch-error.txt").read_text(encoding="utf-8").strip()
    if exitcode < 0:
        reason = f"the batch process was killed by signal {-exitcode}"
    else:
        reason = f"the batch process exited with code {exitcode}"
    return _failed_row(student, "crashed", assignment, f"{reason}: {detail}" if detail else reason)


def _kill(process: BaseProcess) -> None:
    pid = process.pid
    if pid is not None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
    process.join()
