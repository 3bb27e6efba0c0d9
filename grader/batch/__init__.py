"""Batch grading: every submission in a folder, in parallel processes, into a gradebook.

A submission is a `.py` file or a `.ipynb` notebook (the student is its stem), or a folder
holding exactly one of them (the student is the folder's name).  Each student is graded by
`grade()` in a batch process of its own (grader/batch/student.py; forked, `jobs` at a time),
which writes OUTDIR/<folder>/report.json, the chosen formats, then a stamp
`.matgrade-batch.json` holding a hash of the submission's bytes and the settings, and the
student's gradebook row (grader/batch/gradebook.py); `html` (report.html) is always among the
formats.  At the end, OUTDIR/class-report.html and OUTDIR/mistakes.csv are built from all that
(grader/classreport).
The parent only watches, and reads the stamps:
a batch process that dies or overruns its budget is recorded as `crashed` or `timed-out`,
and the batch goes on.  A student whose stamp matches is not graded again.

Invariants:
- A student's name never becomes a path: their outputs go to OUTDIR/<folder>, a safe and
  unique name chosen by the survey (grader/batch/survey.py, `folder_names`) and given in the
  gradebook's `folder` column; a submission is read only as a regular file inside the
  submissions folder, never through a symbolic link.
- Nothing one student's files do costs another student their row: a file that cannot be
  read, a folder that cannot be written, make that student's row (naming the file) only.
- OUTDIR/gradebook.csv has one row per submission found, in name order, whatever happened
  to each; it is rewritten (atomically) after each student, and agrees with every
  OUTDIR/<folder>/report.json present: the stale reports of a student about to be graded
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
import functools
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from grader.assignment import AssignedExercise, Assignment
from grader.batch.gradebook import (
    BROKEN,
    STAMP,
    Gradebook,
    Row,
    failed_row,
    read_stamp,
    row_from_stamp,
)
from grader.batch.processes import Interrupts, kill, stop
from grader.batch.student import (
    Grader,
    Run,
    child,
    collected,
    fingerprint,
    grade_one,
    remove_outputs,
    unwritable,
)
from grader.batch.survey import Ignored, Submission, Survey, discover, survey
from grader.batch.warmup import prepare_shared, warm
from grader.sandbox.policy import Trust, confirm

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from grader.batch.cluster import Cluster
    from grader.classreport import ClassReport
    from grader.grading import Options

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
    "prepare_shared",
    "survey",
]

_Queued = tuple[Submission, "Options", str]  # a submission to grade, its options, its fingerprint


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The rows of the gradebook, where it was written, and what in the folder was ignored."""

    rows: tuple[Row, ...]
    gradebook: str
    ignored: tuple[Ignored, ...] = ()
    class_report: ClassReport | None = None  # OUTDIR/class-report.html and mistakes.csv, written last

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
    grader: Grader | None = None,
    student_seconds: float | None = None,
    trusted: bool = False,
    cluster: Cluster | None = None,
) -> BatchResult:
    """Grade every submission in `folder` into `outdir` and write outdir/gradebook.csv.

    `adjust` changes each student's Options (the CLI's --examples, --timeout); `notice` is
    told of each entry of `folder` that is not graded, before grading starts; `grader` is
    grade() of the file read inside `folder` without following links unless a test fakes
    it; `student_seconds` bounds one batch process (default:
    the submission limit plus a minute).  With `cluster`, the students are graded on a Dask
    cluster instead of forked processes (grader/batch/cluster.py; `jobs` and `grader` unused),
    into the same files.

    Raises UsageError when `folder` is not a folder, holds no submission, or is `outdir`;
    OutputError when `outdir` cannot be written (checked before any grading); Interrupted
    on Ctrl-C, after stopping the batch processes and writing the gradebook of what was
    graded (the others are `not-graded`); ClusterError when the Dask scheduler cannot be
    reached or goes away, after writing the same.
    """
    from grader.errors import ClusterError, Interrupted, UsageError

    if not Path(folder).is_dir():
        raise UsageError(f"{folder} is not a folder of submissions")
    if cluster is not None:
        from grader.batch.cluster import require_dask

        require_dask()  # before anything is written
    found = survey(folder, outdir)
    for entry in found.ignored:
        if notice is not None:
            notice(f"ignored {Path(folder) / entry.name}: {entry.reason}")
    if not found.submissions:
        raise UsageError(
            f"no submissions in {folder}: expected one .py file or .ipynb notebook per student, "
            "or one folder per student holding one"
        )
    own = grader or functools.partial(grade_one, inside=folder)
    formats = tuple(dict.fromkeys((*formats, "html")))  # each student's page, linked from the class report
    run = Run(Path(outdir), formats, assignment or default_assignment(), own, student_seconds, folder)
    _check_output(run.out)
    trust = Trust.TRUSTED if trusted else Trust.OTHERS
    if grader is None and cluster is None:  # a cluster's workers check their own (cluster.py)
        confirm(trust)  # refused here, before anyone is graded, where students' code cannot be isolated
    book = Gradebook(run.out / "gradebook.csv", found.submissions, run.assignment, progress)
    with Interrupts() as interrupts:
        if cluster is None:
            warm()
        queue = _queue(found.submissions, run, book, adjust, trust)
        # The reports of the students graded again are stale from now on: gone before the
        # first gradebook is written, so that the two never disagree.
        for queued in list(queue):
            try:
                remove_outputs(run.out / queued[0].folder)
            except OSError as exc:
                queue.remove(queued)
                book.finish(unwritable(queued[0], exc, run), write=False)
        book.save("not graded yet")
        if cluster is not None:
            from grader.batch.cluster import grade_on_cluster

            try:
                grade_on_cluster(queue, run, book, interrupts, cluster, trust, notice)
            except ClusterError:
                book.save("the batch stopped before this student was graded: run it again")
                raise
        else:
            _grade_locally(queue, run, book, interrupts, grader is None, jobs)
        if interrupts.count:
            book.save("the batch was interrupted before this student was graded")
            total = len(found.submissions)
            raise Interrupted(f"{len(book.rows)} of {total} graded; run the same command again to continue")
    ordered = book.save("not graded yet")
    from grader.classreport import settings_of, write_class_report

    written = write_class_report(run.out, settings_of(run.assignment))
    return BatchResult(rows=ordered, gradebook=str(book.path), ignored=found.ignored, class_report=written)


def _grade_locally(
    queue: list[_Queued], run: Run, book: Gradebook, interrupts: Interrupts, real: bool, jobs: int | None
) -> None:
    """Grade the queue in forked batch processes, `jobs` at a time, the shared plans drawn first."""
    if real and not interrupts.count:
        prepare_shared(queue)
    running: dict[int, tuple[BaseProcess, Submission, float]] = {}
    try:
        _grade_queue(queue, running, run, book, interrupts, max(1, jobs or os.cpu_count() or 1))
    finally:
        stop([process for process, _, _ in running.values()])
    if interrupts.count:
        _keep_finished(running, run, book)


def _keep_finished(
    running: dict[int, tuple[BaseProcess, Submission, float]], run: Run, book: Gradebook
) -> None:
    """After Ctrl-C: a batch process that finished before it was stopped has a whole report: keep it."""
    for process, sub, _ in running.values():
        if process.exitcode == 0 and read_stamp(run.out / sub.folder) is not None:
            book.finish(collected(sub.student, run.out / sub.folder, 0, run.assignment))
        else:
            with contextlib.suppress(OSError):  # not-graded whatever is left
                remove_outputs(run.out / sub.folder)


def _queue(
    submissions: Sequence[Submission],
    run: Run,
    book: Gradebook,
    adjust: Callable[[Options], Options] | None,
    trust: Trust,
) -> list[_Queued]:
    """The submissions to grade, with their options and fingerprints; the others get their rows.

    An invalid submission is recorded as such; one whose stamp matches its fingerprint keeps
    the stamp's row (`reused`).
    """
    from grader.errors import SubmissionError

    queue: list[_Queued] = []
    for sub in submissions:
        if sub.path is None:
            book.finish(failed_row(sub.student, "invalid", run.assignment, sub.problem), write=False)
            continue
        options = replace(run.assignment.options(sub.student), jobs=1, trust=trust)
        if adjust is not None:
            options = adjust(options)
        try:
            stamp = fingerprint(sub.student, sub.path, run.inside, options, run.formats, run.assignment)
        except (SubmissionError, OSError) as exc:  # changed since the survey: a link, a FIFO...
            book.finish(failed_row(sub.student, "invalid", run.assignment, str(exc)), write=False)
            continue
        previous = read_stamp(run.out / sub.folder)
        if previous is not None and previous.get("hash") == stamp:
            try:
                book.finish(row_from_stamp(sub.student, previous, True), write=False)
                continue
            except (ValueError, KeyError, TypeError):
                pass  # a stamp not whole: grade again
        queue.append((sub, options, stamp))
    return queue


def _grade_queue(
    queue: list[_Queued],
    running: dict[int, tuple[BaseProcess, Submission, float]],
    run: Run,
    book: Gradebook,
    interrupts: Interrupts,
    width: int,
) -> None:
    """Grade the queue, `width` batch processes at a time, until done or interrupted.

    `running` holds the processes started and not yet collected (the caller stops them).
    """
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("fork")
    while (queue or running) and not interrupts.count:
        while queue and len(running) < width:
            sub, options, stamp = queue.pop(0)
            folder_out = run.out / sub.folder
            try:
                folder_out.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # costs this student only
                book.finish(unwritable(sub, exc, run))
                continue
            assert sub.path is not None
            budget = run.student_seconds or options.limits.submission_seconds + 60
            process: BaseProcess = context.Process(
                target=child,
                args=(run.grader, sub.student, sub.path, options, folder_out, run, stamp),
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
                kill(process)
                why = "grading took too long; killed"
                book.finish(failed_row(sub.student, "timed-out", run.assignment, why))
                continue
            process.join()
            book.finish(collected(sub.student, run.out / sub.folder, process.exitcode, run.assignment))
