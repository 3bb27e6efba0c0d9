"""Batch grading: every submission in a folder, in parallel processes, into a gradebook.

A submission is a `.py` file or a `.ipynb` notebook (the student is its stem), or a folder
holding exactly one of them (the student is the folder's name).  Each student is graded by `grade()` in a
batch process of its own (forked, `jobs` at a time), which writes OUTDIR/<student>/
report.json, the chosen formats, then a stamp `.matgrade-batch.json` holding a hash of the
submission's bytes and the settings and the report's status.  The parent only watches:
a batch process that dies or overruns its budget is recorded as `crashed` or `timed-out`,
and the batch goes on.  A student whose stamp matches is not graded again.

Invariants:
- OUTDIR/gradebook.csv has one row per submission found, in name order, whatever happened
  to each; it is rewritten (atomically) after each student, and agrees with every
  OUTDIR/<student>/report.json present: the stale reports of a student about to be graded
  again are removed before grading starts, and such a student is `not-graded` until done.
- Every file the batch writes is written whole or not at all (a temporary file in the same
  folder, then os.replace).
- Every entry of the folder that is not graded is in `Survey.ignored` with its reason,
  except hidden ones (a name starting with ".").
- Ctrl-C (SIGINT) kills the batch processes and their workers, saves the gradebook and
  raises Interrupted.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader import __version__
from grader.assignment import AssignedExercise, Assignment
from grader.render import SUFFIXES, render

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from grader.grading import Options
    from grader.report import Report

__all__ = [
    "BROKEN",
    "STAMP",
    "BatchResult",
    "Ignored",
    "Row",
    "Submission",
    "Survey",
    "default_assignment",
    "discover",
    "grade_batch",
    "survey",
]

STAMP = ".matgrade-batch.json"
_SUFFIXES = (".py", ".ipynb")  # what a submission may be
_REPORT_STATUSES = ("passed", "incomplete", "failed", "error", "unloadable")  # Report.status
BROKEN = ("invalid", "crashed", "timed-out")  # the batch could not grade the student: exit 1
NOT_GRADED = "not-graded"  # this run has not graded the student (yet): only while running or interrupted

Grader = Callable[[str, "Options"], "Report"]


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


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the gradebook.

    status: the report's own word (passed | incomplete | failed | error | unloadable), or the
    batch's: crashed, timed-out (the batch process itself), invalid (no single .py or .ipynb
    file), not-graded (interrupted before this student was graded).  `reused` when the stamp
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
    """The rows of the gradebook, where it was written, and what in the folder was ignored."""

    rows: tuple[Row, ...]
    gradebook: str
    ignored: tuple[Ignored, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 when every student was graded, whatever their grade; 1 when one could not be."""
        return 1 if any(row.status in BROKEN for row in self.rows) else 0


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


def _write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all: a temporary file beside it, then os.replace."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # one writer per process
    try:
        with open(temp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _check_output(out: Path) -> None:
    """Create `out` and write and remove a probe file in it: OutputError before any grading."""
    from grader.errors import OutputError

    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".matgrade-probe.{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(
            f"cannot write to the output folder {out}: {exc.strerror or exc}; pick another -o"
        ) from exc


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


def _row_from_files(student: str, folder: Path, status: object, reused: bool) -> Row:
    """The row of a student's report on disk; ValueError, KeyError... when it is unreadable."""
    if status not in _REPORT_STATUSES:
        raise ValueError(f"unknown status {status!r} in {folder / STAMP}")
    data = json.loads((folder / SUFFIXES["json"]).read_text(encoding="utf-8"))
    errors = data.get("errors") or []
    return Row(
        student=student,
        status=str(status),
        score=float(data["score"]),
        max_score=float(data["max_score"]),
        exercises=tuple((e["name"], float(e["score"])) for e in data["exercises"]),
        message=str(errors[0]).splitlines()[0] if errors else "",
        reused=reused,
    )


def _remove_outputs(folder: Path) -> None:
    """Remove what a batch wrote for one student, the stamp first (it vouches for the rest)."""
    for name in (STAMP, "batch-error.txt", *SUFFIXES.values()):
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()


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
        _write_atomic(folder / SUFFIXES[fmt], text)
    # The stamp is written last: its presence means every other file is complete.
    record = {"hash": stamp, "status": report.status, "exit_code": report.exit_code}
    _write_atomic(folder / STAMP, json.dumps(record) + "\n")


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
        "grader.checking.checker",
        "grader.exercise.strategies",
        "grader.submission.source",
        "grader.sandbox.sandbox",
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
    reference values) once here saves each forked child the work (grader/checking/plan.py).  With
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
    signal.signal(signal.SIGINT, signal.default_int_handler)  # not the parent's handler
    try:
        report = grader(path, options)
        _write_student(report, folder, formats, assignment, stamp)
    except BaseException as exc:  # recorded by the parent from the exit code; never re-raised
        try:
            _write_atomic(folder / "batch-error.txt", f"{type(exc).__name__}: {exc}\n")
        finally:
            os._exit(3)
    os._exit(0)


class _Interrupts:
    """Counts SIGINTs while a batch runs, so that Ctrl-C never lands in the middle of a write.

    Outside the main thread no handler can be installed, and Ctrl-C cannot reach the batch.
    """

    def __init__(self) -> None:
        self.count = 0
        self._previous: Any = None
        self._installed = False

    def _handle(self, signum: int, frame: object) -> None:
        self.count += 1

    def __enter__(self) -> _Interrupts:
        with contextlib.suppress(ValueError):
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)


def _failed_row(student: str, status: str, assignment: Assignment, message: str) -> Row:
    return Row(
        student=student,
        status=status,
        score=0.0,
        max_score=sum(e.points for e in assignment.exercises),
        message=message,
    )


def _write_gradebook(path: Path, rows: Sequence[Row], assignment: Assignment) -> None:
    from grader.errors import OutputError

    names = [e.name for e in assignment.exercises]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "score", "max_score", *names, "status", "message"])
    for row in rows:
        scores = dict(row.exercises)
        cells = [f"{scores[n]:g}" if n in scores else "" for n in names]
        writer.writerow(
            [row.student, f"{row.score:g}", f"{row.max_score:g}", *cells, row.status, row.message]
        )
    try:
        _write_atomic(path, buffer.getvalue())
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


def grade_batch(
    folder: str,
    outdir: str,
    assignment: Assignment | None = None,
    *,
    formats: Sequence[str] = (),
    jobs: int | None = None,
    adjust: Callable[[Options], Options] | None = None,
    progress: Callable[[int, int, Row], None] | None = None,
    notice: Callable[[str], None] | None = None,
    grader: Grader = _grade_one,
    student_seconds: float | None = None,
) -> BatchResult:
    """Grade every submission in `folder` into `outdir` and write outdir/gradebook.csv.

    `adjust` changes each student's Options (the CLI's --examples, --timeout); `notice` is
    told of each entry of `folder` that is not graded, before grading starts; `grader` is
    grade() unless a test fakes it; `student_seconds` bounds one batch process (default:
    the submission limit plus a minute).

    Raises UsageError when `folder` is not a folder, holds no submission, or is `outdir`;
    OutputError when `outdir` cannot be written (checked before any grading); Interrupted
    on Ctrl-C, after stopping the batch processes and writing the gradebook of what was
    graded (the others are `not-graded`).
    """
    import multiprocessing
    from multiprocessing.connection import wait

    from grader.errors import Interrupted, UsageError

    if not Path(folder).is_dir():
        raise UsageError(f"{folder} is not a folder of submissions")
    found = survey(folder, outdir)
    for entry in found.ignored:
        if notice is not None:
            notice(f"ignored {Path(folder) / entry.name}: {entry.reason}")
    submissions = found.submissions
    if not submissions:
        raise UsageError(
            f"no submissions in {folder}: expected one .py file or .ipynb notebook per student, "
            "or one folder per student holding one"
        )
    out = Path(outdir)
    _check_output(out)
    assignment = assignment or default_assignment()
    gradebook = out / "gradebook.csv"
    total = len(submissions)
    rows: dict[str, Row] = {}

    def save(waiting: str) -> tuple[Row, ...]:
        ordered = tuple(
            rows.get(s.student) or _failed_row(s.student, NOT_GRADED, assignment, waiting)
            for s in submissions
        )
        _write_gradebook(gradebook, ordered, assignment)
        return ordered

    def finish(row: Row, write: bool = True) -> None:
        rows[row.student] = row
        if write:
            save("not graded yet")
        if progress is not None:
            progress(len(rows), total, row)

    with _Interrupts() as interrupts:
        _warm()
        context = multiprocessing.get_context("fork")
        queue: list[tuple[Submission, Options, str]] = []
        for sub in submissions:
            if sub.path is None:
                finish(_failed_row(sub.student, "invalid", assignment, sub.problem), write=False)
                continue
            options = replace(assignment.options(sub.student), jobs=1)
            if adjust is not None:
                options = adjust(options)
            stamp = _fingerprint(sub.path, options, formats, assignment)
            previous = _stamp(out / sub.student)
            if previous is not None and previous.get("hash") == stamp:
                try:
                    row = _row_from_files(sub.student, out / sub.student, previous.get("status"), True)
                    finish(row, write=False)
                    continue
                except (OSError, ValueError, KeyError, TypeError):
                    pass  # an unreadable report: grade again
            queue.append((sub, options, stamp))
        # The reports of the students graded again are stale from now on: gone before the
        # first gradebook is written, so that the two never disagree.
        for sub, _, _ in queue:
            _remove_outputs(out / sub.student)
        save("not graded yet")

        if grader is _grade_one and not interrupts.count:
            _prepare_shared(queue)
        running: dict[int, tuple[BaseProcess, Submission, float]] = {}
        width = max(1, jobs or os.cpu_count() or 1)
        try:
            while (queue or running) and not interrupts.count:
                while queue and len(running) < width:
                    sub, options, stamp = queue.pop(0)
                    folder_out = out / sub.student
                    folder_out.mkdir(parents=True, exist_ok=True)
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
                    del running[sentinel]
                    if process.exitcode is None:
                        _kill(process)
                        why = "grading took too long; killed"
                        finish(_failed_row(sub.student, "timed-out", assignment, why))
                        continue
                    process.join()
                    finish(_collected(sub.student, out / sub.student, process.exitcode, assignment))
        finally:
            _stop([process for process, _, _ in running.values()])
        if interrupts.count:
            # A batch process that finished before it was stopped has a whole report: keep it.
            for process, sub, _ in running.values():
                if process.exitcode == 0 and _stamp(out / sub.student) is not None:
                    finish(_collected(sub.student, out / sub.student, 0, assignment))
                else:
                    _remove_outputs(out / sub.student)
            save("the batch was interrupted before this student was graded")
            raise Interrupted(f"{len(rows)} of {total} graded; run the same command again to continue")
    ordered = save("not graded yet")
    return BatchResult(rows=ordered, gradebook=str(gradebook), ignored=found.ignored)


def _stop(processes: Sequence[BaseProcess]) -> None:
    """Kill batch processes at once, with their workers.

    Not SIGTERM: grading turns the exception a signal handler raises into an `error` result
    and goes on, so a process asked to stop could write a report that was never earned.
    """
    for process in processes:
        if process.exitcode is None:
            _kill(process)
        else:
            process.join()


def _collected(student: str, folder: Path, exitcode: int, assignment: Assignment) -> Row:
    """The row of a batch process that has exited: its report, or what killed it."""
    stamp = _stamp(folder)
    if exitcode == 0 and stamp is not None:
        try:
            return _row_from_files(student, folder, stamp.get("status"), False)
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
    """SIGKILL a batch process, everything in its group and its sandbox workers (each has a session)."""
    pid = process.pid
    if pid is not None:
        for group in (pid, *_children(pid)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    process.join()


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from /proc (none where there is no /proc)."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(entry.path, "stat").read_text()
                # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
                if int(stat.rpartition(")")[2].split()[1]) == pid:
                    found.append(int(entry.name))
    return found
