"""The task a Dask worker runs for one student of `grade batch --dask` or `--scheduler`.

It is the batch process's work (grader/batch/student.py, `child`) without the files: the
client reads the submission (`read_one`, inside the submissions folder, no links followed)
and sends it with the options; the worker grades it with `grade_read`, the very function a
batch process calls, in the same sandbox, and sends back the student's files as texts
(`student_files`), which the client writes.  So the worker machines need no access to the
submissions or the output folder, and the files are byte for byte those of a local batch.

Invariants:
- Importable by its module name on the workers (Dask's worker processes are spawned): no
  closure, nothing of `__main__`, no import of dask here.
- Plans are kept per worker process: the first student graded with a seed and a number of
  examples draws them (grader/checking/plan.py), the next ones on that worker reuse them.
  With `seed = "student"` each student draws their own, as in a local batch.
- One student at a time per worker process, whatever its threads (`dask worker --nthreads 1`
  is the documented way): grading keeps plans in module state and runs Hypothesis, neither
  made for threads grading side by side.
- A worker process grades in a session of its own (`os.setsid`, once), as a local batch
  process does: where Linux shares the CPU between sessions (sched_autogroup), a worker gets
  the share of a batch process on a busy machine, not a slice of the session that started it.
- Never raises for a grading error: a failure is an `Outcome` with `error` set, which the
  client records as a batch process exiting with code 3 would be (grader/batch/student.py,
  `collected`).  Only the death of the worker itself reaches the client as a Dask error.
"""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.assignment import Assignment
    from grader.grading import Options
    from grader.submission.source import Submission

__all__ = ["Outcome", "grade_task"]

_ONE_AT_A_TIME = threading.Lock()
_SESSION: list[int] = []  # the session this worker process made, once


def _own_session() -> None:
    """Put this worker process in a session of its own, the first time only."""
    if not _SESSION:
        with contextlib.suppress(OSError):  # already a session or group leader: keep it
            os.setsid()
        _SESSION.append(os.getsid(0))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker sends back for one student: their files in writing order, or what went wrong."""

    files: tuple[tuple[str, str], ...] = ()
    error: str = ""


def grade_task(
    version: str,
    path: str,
    read: Submission | str,
    options: Options,
    formats: Sequence[str],
    assignment: Assignment,
    stamp: str,
) -> Outcome:
    """Grade one student on this Dask worker; `version` is the client's matgrade version.

    A worker with another version of matgrade would grade differently from what the stamp
    vouches for: it refuses, and the student's row says which versions differ.
    """
    from grader import __version__

    _own_session()
    if version != __version__:
        return Outcome(
            error=f"this Dask worker has matgrade {__version__}, the batch {version}: "
            "install the same version on every worker"
        )
    try:
        from grader.batch.student import grade_read, student_files

        with _ONE_AT_A_TIME, warnings.catch_warnings():
            # Hypothesis warns when the global `random` changes while it draws: in a Dask
            # worker the worker's own threads use it (heartbeats); the draw does not.
            warnings.filterwarnings("ignore", message="Do not use the `random` module inside strategies")
            report = grade_read(path, read, options)
            files = student_files(report, formats, assignment, stamp)
    except Exception as exc:  # the row says what; the batch goes on
        return Outcome(error=f"{type(exc).__name__}: {exc}")
    return Outcome(files=tuple(files.items()))
