"""One grading, in a process of its own: a child forked by a warm grader (host.py), or `python -m
grader.service.job REQUEST.json PARENT_PID` alone.

A crash or a hang of the grading costs only this process, killed with its process group.  It
leaves one file: RESULT (named in the request), written whole or not at all, holding the JSON
report (`grade --format json`), the HTML pages and the score.  The submission is graded from
inside its upload folder under its own file name, so the report names it as `grade FILE` run
there would.  The student's code runs in the sandbox worker that grade_submission() starts,
never here.

The process asks the kernel to kill it when its parent dies (PR_SET_PDEATHSIG): a `kill -9` of
the service leaves no grading behind to finish a submission the restarted service queues again.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path

__all__ = ["Request", "die_with_parent", "grade_bytes", "main", "run"]


@dataclass(frozen=True, slots=True)
class Request:
    """What to grade, under which assignment, for whom, and where the result goes."""

    folder: str
    filename: str
    assignment: str
    student: str
    result: str
    trusted: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self))


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent (pid `parent`) dies; exit now if it has."""
    PR_SET_PDEATHSIG = 1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the orphan finishes; its result is ignored
        return
    if os.getppid() != parent:  # the service died before the request above was made
        os._exit(1)


def run(request: Request) -> dict[str, object]:
    """Grade the request's file; the record written to RESULT."""
    from grader.assignment import load_assignment
    from grader.errors import SubmissionError
    from grader.grading import chosen, grade_submission
    from grader.grading.ungraded import unloadable
    from grader.render import render
    from grader.sandbox.policy import Trust
    from grader.service.views import student_report, withheld
    from grader.submission.source import read_submission

    assignment = load_assignment(request.assignment)
    options = replace(
        assignment.options(request.student, jobs=1),
        trust=Trust.TRUSTED if request.trusted else Trust.OTHERS,
    )
    os.chdir(request.folder)
    try:
        submission = read_submission(request.filename, inside=".")
        report = grade_submission(submission, options)
    except SubmissionError as exc:
        report = unloadable(request.filename, options.seed, chosen(options), str(exc))
    return {
        "status": "done",
        "score": report.score,
        "max_score": report.max_score,
        "report_status": report.status,
        "report_json": render(report, "json"),
        "report_html": render(report, "html"),
        "student_html": render(student_report(report, withheld(assignment, due=False)), "html"),
        "student_html_due": render(student_report(report, withheld(assignment, due=True)), "html"),
    }


def grade_bytes(
    filename: str, data: bytes, assignment: str, student: str, trusted: bool
) -> dict[str, object]:
    """`run` on a file's bytes and an assignment's TOML text, in a private temporary folder (a Dask task)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="matgrade-job-") as folder:
        (Path(folder) / filename).write_bytes(data)
        toml = Path(folder) / ".assignment.toml"
        toml.write_text(assignment, encoding="utf-8")
        here = os.getcwd()
        try:
            return run(Request(folder, filename, str(toml), student, result="", trusted=trusted))
        finally:
            os.chdir(here)


def main(argv: list[str]) -> int:
    """Grade the request in argv[0]; 0 when RESULT was written, 3 when grading raised (RESULT says why).

    Run as a program (`python -m grader.service.job REQUEST PARENT_PID`), it dies with its parent.
    """
    request = Request(**json.loads(Path(argv[0]).read_text(encoding="utf-8")))
    try:
        record = run(request)
    except Exception as exc:  # a bug or a broken environment: reported as the submission's failure
        record = {"status": "failed", "message": f"grading raised {type(exc).__name__}: {exc}"}
        code = 3
    else:
        code = 0
    from grader.batch.gradebook import write_atomic

    write_atomic(Path(request.result), json.dumps(record))
    return code


if __name__ == "__main__":
    die_with_parent(int(sys.argv[2]))
    sys.exit(main(sys.argv[1:2]))
