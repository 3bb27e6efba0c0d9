"""A warm grader: `python -m grader.service.host SERVICE_PID ASSIGNMENT...`, one per grader thread.

It imports what grading needs once (grader.batch.warmup.warm) and draws the inputs of every
served assignment with a fixed seed (grader.grading.prepare), as `grade batch` does before it
forks; then, for each order read on stdin (one JSON line: the job's request file, its stderr
file and its budget in seconds), it forks a child that grades the request (job.run, in a
session of its own) and answers one JSON line on stdout: the child's exit code, or
`"timeout"` after killing the child's process group when the budget ran out.  Each child
starts warm: no interpreter start, no imports, no drawing for a fixed seed.

Both the host and each child ask the kernel to kill them when their parent dies, so a
`kill -9` of the service leaves no grading behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time

__all__ = ["main"]


def _warm(assignments: list[str]) -> None:
    from grader.assignment import load_assignment
    from grader.batch.warmup import warm
    from grader.grading import prepare

    warm()
    for path in assignments:
        assignment = load_assignment(path)
        if assignment.seed is not None:  # the same inputs for every student: drawn once, here
            prepare(assignment.options("", jobs=1))


def _child(request: str, stderr: str, host: int) -> int:
    from grader.service.job import die_with_parent, main

    os.setsid()
    die_with_parent(host)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    fd = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    os.close(fd)
    return main([request])


def _run(request: str, stderr: str, budget: float) -> int | str:
    pid = os.fork()
    if pid == 0:
        code = 4
        try:
            code = _child(request, stderr, os.getppid())
        finally:
            os._exit(code)
    deadline = time.monotonic() + budget
    pause = 0.005
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return "timeout"
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)  # whatever the grading left behind in its session


def main(argv: list[str]) -> int:
    """Serve orders from stdin until it closes."""
    from grader.service.job import die_with_parent

    die_with_parent(int(argv[0]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the service stops its hosts by closing stdin
    answers = os.fdopen(os.dup(1), "w")
    with open(os.devnull, "wb") as null:
        os.dup2(null.fileno(), 1)  # nothing but answers on the pipe
    _warm(argv[1:])
    answers.write(json.dumps({"ready": True}) + "\n")
    answers.flush()
    for line in sys.stdin:
        order = json.loads(line)
        code = _run(order["request"], order["stderr"], float(order["budget"]))
        answers.write(json.dumps({"code": code}) + "\n")
        answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
