"""The graders: threads of the service that claim queued submissions and grade each in its own process.

`--jobs N` threads each loop: claim a row (queue.claim), write the job's request, hand it to
the thread's warm grader process (`Host`, running host.py), which forks a child that grades it
within the budget, and write the outcome under the claim (queue.finish).  A grading that
raises, is killed or overruns its budget ends `failed` with a message saying which; its whole
process group is killed, and a grader process that dies is started again.  With a Dask
scheduler the same job runs on the cluster instead (scheduler.py).  The counters are what the
metrics endpoint shows.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from grader.service.config import Settings
from grader.service.job import Request
from grader.service.models import Account, Submission
from grader.service.queue import Claimed, Outcome, claim, finish

__all__ = ["Dispatcher", "Totals"]

_IDLE_SECONDS = 1.0  # how long an idle grader sleeps when no upload wakes it


@dataclass(frozen=True, slots=True)
class Totals:
    """Counts since start-up, for /metrics."""

    graded: int
    failed: int
    graded_last_minute: int
    running: int


class Dispatcher:
    """`settings.jobs` grader threads over the queue in `engine`."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.finished: deque[float] = deque()
        self.graded = 0
        self.failed = 0
        self.running = 0
        self.threads: list[threading.Thread] = []
        self.scheduler = None
        if settings.scheduler is not None:
            from grader.service.scheduler import DaskGrader

            self.scheduler = DaskGrader(settings.scheduler)

    def start(self) -> None:
        for number in range(self.settings.jobs):
            thread = threading.Thread(target=self._loop, name=f"grader-{number}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        for thread in self.threads:
            thread.join(timeout=5)
        if self.scheduler is not None:
            self.scheduler.close()

    def totals(self) -> Totals:
        with self.lock:
            now = time.monotonic()
            while self.finished and self.finished[0] < now - 60:
                self.finished.popleft()
            return Totals(self.graded, self.failed, len(self.finished), self.running)

    def _loop(self) -> None:
        host = None if self.scheduler is not None else Host(self.settings)
        try:
            self._serve(host)
        finally:
            if host is not None:
                host.close()

    def _serve(self, host: Host | None) -> None:
        while not self.stopping.is_set():
            held = claim(self.engine)
            if held is None:
                self.wake.wait(_IDLE_SECONDS)
                self.wake.clear()
                continue
            with self.lock:
                self.running += 1
            try:
                outcome = self._grade(held, host)
            except Exception as exc:  # the grader thread must survive anything one grading does
                outcome = Outcome(
                    status="failed", message=f"the service could not grade it: {type(exc).__name__}: {exc}"
                )
            finally:
                with self.lock:
                    self.running -= 1
            if finish(self.engine, held, outcome):
                with self.lock:
                    self.finished.append(time.monotonic())
                    if outcome.status == "done":
                        self.graded += 1
                    else:
                        self.failed += 1

    def _request(self, held: Claimed) -> tuple[Request, float] | Outcome:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(Submission.assignment, Submission.stored, Submission.filename, Account.name)
                .join(Account, Account.id == Submission.account_id)
                .where(Submission.id == held.id)
            ).one()
        course = self.settings.course(row.assignment)
        if course is None:
            return Outcome(status="failed", message=f"the assignment {row.assignment!r} is no longer served")
        results = self.settings.results
        results.mkdir(parents=True, exist_ok=True)
        request = Request(
            folder=str(Path(row.stored).parent),
            filename=Path(row.stored).name,
            assignment=str(course.path),
            student=row.name,
            result=str(results / f"{held.id}-{held.claim}.json"),
            trusted=self.settings.trusted,
        )
        budget = self.settings.job_seconds
        if budget is None:
            a = course.assignment
            budget = 120.0 + a.cell_timeout * 20 + len(a.exercises) * a.exercise_timeout * 2
        return request, budget

    def _grade(self, held: Claimed, host: Host | None) -> Outcome:
        made = self._request(held)
        if isinstance(made, Outcome):
            return made
        request, budget = made
        result = Path(request.result)
        with contextlib.suppress(FileNotFoundError):
            result.unlink()  # a previous try's result under this claim cannot exist; be sure
        if self.scheduler is not None or host is None:
            assert self.scheduler is not None
            return self.scheduler.grade(request, budget)
        asked = result.with_suffix(".request.json")
        asked.write_text(request.to_json(), encoding="utf-8")
        errors = result.with_suffix(".stderr")
        try:
            code = host.run(asked, errors, budget)
            if code == "timeout":
                return Outcome(
                    status="failed",
                    message=f"grading took longer than {budget:g} s and was stopped; "
                    "an instructor may regrade it",
                )
            if not isinstance(code, int):
                return Outcome(status="failed", message="the grading process died (its host was restarted)")
            return read_outcome(result, code, errors)
        finally:
            for leftover in (asked, result, errors):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


class Host:
    """One warm grader process (host.py) that a grader thread sends its jobs to; restarted if it dies."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        log = self.settings.results / "host.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as stderr:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "grader.service.host",
                    str(os.getpid()),
                    *(str(c.path) for c in self.settings.courses),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                start_new_session=True,
            )
        return process

    def run(self, request: Path, errors: Path, budget: float) -> int | str | None:
        """The job's exit code, "timeout", or None when the host died (it is started again next time)."""
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
            if self._answer(self.process, 600) is None:  # {"ready": true} once warm
                self.close()
                return None
        process = self.process
        assert process.stdin is not None
        try:
            process.stdin.write(
                json.dumps({"request": str(request), "stderr": str(errors), "budget": budget}) + "\n"
            )
            process.stdin.flush()
        except OSError:
            self.close()
            return None
        answer = self._answer(process, budget + 60)
        if answer is None or "code" not in answer:
            self.close()
            return None
        code: int | str = answer["code"]
        return code

    @staticmethod
    def _answer(process: subprocess.Popen[str], seconds: float) -> dict[str, Any] | None:
        import select

        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], seconds)
        if not ready:
            return None
        line = process.stdout.readline()
        if not line:
            return None
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        """Stop the host and everything it started."""
        if self.process is None:
            return
        _kill_group(self.process)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        self.process = None


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def read_outcome(result: Path, code: int, errors: Path | None = None) -> Outcome:
    """The outcome a job process left in `result`, or why there is none (it was killed, it crashed)."""
    try:
        record = json.loads(result.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        if code < 0:
            reason = f"the grading process was killed by signal {-code} ({signal.Signals(-code).name})"
        else:
            reason = f"the grading process exited with code {code} without a result"
        detail = ""
        if errors is not None:
            with contextlib.suppress(OSError):
                lines = errors.read_text(encoding="utf-8", errors="replace").strip().splitlines()
                detail = lines[-1][:300] if lines else ""
        return Outcome(status="failed", message=f"{reason}: {detail}" if detail else reason)
    return outcome_of(record)


def outcome_of(record: dict[str, Any]) -> Outcome:
    """The Outcome a job's record describes."""
    if record.get("status") != "done":
        return Outcome(status="failed", message=str(record.get("message", "grading failed")))
    return Outcome(
        status="done",
        score=float(record["score"]),
        max_score=float(record["max_score"]),
        report_status=str(record["report_status"]),
        report_json=record["report_json"],
        report_html=record["report_html"],
        student_html=record["student_html"],
        student_html_due=record["student_html_due"],
    )
