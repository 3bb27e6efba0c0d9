"""The Sandbox: one worker process for one submission, and the grader's side of its pipes.

Invariants (the threat model and every limit are in docs/security.md):
- Student code never runs in the grader's process.  The worker (`worker/main.py`, run as a
  script in isolated mode) gets the inputs as plain numbers and answers with plain numbers;
  every comparison happens in the grader, where student code cannot reach.
- Nothing from the worker is unpickled or trusted: replies are size-capped JSON that must
  echo the request's sequence number (channel.py), validated field by field (protocol.py);
  anything malformed is a crash of the worker, never of the grader.  The grader reads no
  file that the worker could have written; what it prints comes through a pipe (capture.py),
  of which a bounded number of bytes is kept, as text to show.
- Every wait on the worker has a deadline (per call, for loading, for the whole
  submission); on a timeout or a crash the worker is killed with everything it started (its
  session, and every process of its private uid: confinement.py) and a fresh one is loaded.
- A notebook runs cell by cell, one message each: a cell that raises is reported and the
  next cell runs; a cell that overruns its time limit, or kills or hangs the worker, is
  reported and left out of every later run (after such a kill the notebook is run again
  without it in a fresh worker, and each time a worker is restarted).
- What the student's code prints goes to a pipe the grader drains while it waits on the
  worker and after each reply (capture.py): the output of the load comes back in the
  LoadResult, and `take_output` gives what was printed since it was last taken
  (grader/grading/group.py: one exercise's).  When a worker is restarted, what loading the
  submission again prints is dropped: it was shown once; so is what a notebook's cell prints
  when the notebook is run again after a cell killed the worker (the load's output is then
  each cell's, once, in order).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from grader.errors import IsolationError, SandboxError
from grader.sandbox.capture import Capture
from grader.sandbox.cells import Cells
from grader.sandbox.cgroup import Cgroup, tasks_allowed
from grader.sandbox.channel import Channel, WorkerGone
from grader.sandbox.confinement import choose_uid, not_dumpable, release_uid
from grader.sandbox.formulas import Formulas
from grader.sandbox.launch import spawn, stop, why_gone
from grader.sandbox.policy import Trust, refusal
from grader.sandbox.protocol import encode, isolation_of, load_error, names_of, outcome
from grader.sandbox.records import (
    Crashed,
    Isolation,
    Limits,
    LoadError,
    LoadResult,
    Outcome,
    Spec,
)
from grader.sandbox.remains import empty, scratch_bytes, scratch_prefix, sweep_stale
from grader.student_output import StudentOutput
from grader.timing import phase

if TYPE_CHECKING:
    from grader.submission import Cell

__all__ = ["Sandbox"]


class Sandbox:
    """One worker process for one submission; restarted after a crash or a timeout.

    Use as a context manager.  `load` must succeed before `call`.  `isolation` says what
    confines the worker once it has started (after `load`).  `student_seconds` is the time
    spent in `call` waiting for the worker's answers, by `clock`: the student's functions at
    work, which an exercise's time limit counts (grader/checking/run.py); a test gives a fake clock.
    """

    def __init__(
        self,
        source: str,
        filename: str,
        limits: Limits | None = None,
        *,
        cells: Sequence[Cell] = (),
        clock: Callable[[], float] = time.monotonic,
        trust: Trust = Trust.OWN,
    ) -> None:
        self.source = source
        self.trust = trust
        self.filename = filename
        self.limits = limits or Limits()
        self.cells = tuple(cells)  # a notebook: run cell by cell instead of `source`
        self._notebook = Cells(self.cells, self.limits)
        self.isolation: Isolation | None = None
        self.restarts = 0
        self.clock = clock
        self.student_seconds = 0.0
        self.load_seconds = 0.0  # the wall time of the last load: the top level, imports and all
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: Channel | None = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._uid: int | None = None
        self._cgroup: Cgroup | None = None
        self._hello_due = 0.0
        self._greeted = False
        self._deadline: float | None = None
        self._broken: str | None = None
        self._formulas = Formulas(self._request, self.limits)  # read, then called or compared
        self._capture = Capture()  # what the student's code prints; quiet while restarting
        self._cells_heard: set[str] = set()  # notebook cells whose output was kept once

    # -- the worker process --------------------------------------------------------------

    def start(self) -> None:
        """Start the worker process (it imports numpy while the grader gets ready)."""
        if self._process is not None:
            return
        if self._deadline is None:
            self._deadline = time.monotonic() + self.limits.submission_seconds
        if self.trust is Trust.OTHERS:
            not_dumpable()  # a worker of the grader's own user may not trace it or read its memory
        if self._scratch is None:
            self._uid = choose_uid()
            # Named for this process and the uid, so that what a killed grading process
            # leaves behind can be found and swept by its parent (remains.py).
            self._scratch = tempfile.TemporaryDirectory(prefix=scratch_prefix(self._uid))
        sweep_stale()  # once: what graders that were killed outright left
        # The worker's whole tree in a group, before it says hello (before any student code).
        group = Cgroup.create(self.limits.memory_mb << 20, self.limits.processes)
        printed = self._capture.open()
        try:
            process, to_worker, from_worker = spawn(
                tasks_allowed(self.limits, group), self._scratch.name, self._uid, printed
            )
        finally:
            os.close(printed)
        if group is not None and not group.attach(process.pid):
            group.remove()
            group = None
        self._cgroup = group
        self._process = process
        self._channel = Channel(to_worker, from_worker, functools.partial(why_gone, process), self._capture)
        self._hello_due = time.monotonic() + self.limits.start_seconds
        self._greeted = False

    def kill(self) -> None:
        """Kill the worker and everything it started; close the pipes."""
        process, self._process = self._process, None
        group, self._cgroup = self._cgroup, None
        if group is not None:
            group.kill()  # the whole tree at once, before the searches of stop()
        if process is not None:
            stop(process, self._uid)
        if group is not None:
            group.remove()
        if self._channel is not None:
            self._channel.close()
            self._channel = None

    def close(self) -> None:
        """Stop the worker and remove its scratch directory."""
        self.kill()
        if self._uid is not None:
            release_uid(self._uid)
        if self._scratch is not None:
            with contextlib.suppress(OSError):
                self._scratch.cleanup()
            self._scratch = None
        self._capture.close()

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- messages -----------------------------------------------------------------------

    def _used_up(self) -> str:
        return f"was stopped: the submission used up its time limit of {self.limits.submission_seconds:g} s"

    def _time_left(self) -> float:
        return math.inf if self._deadline is None else self._deadline - time.monotonic()

    def _budget(self, wanted: float, timeout: str) -> tuple[float, str]:
        """The seconds a request gets, and why it stops: `timeout`, or the submission's limit."""
        seconds = min(wanted, self._time_left())
        return seconds, self._used_up() if seconds < wanted else timeout

    def _running(self) -> Channel:
        if self._process is None or self._channel is None:
            raise WorkerGone("could not be run: the worker is not running")
        return self._channel

    def _exchange(self, message: dict[str, Any], seconds: float, timeout: str) -> dict[str, Any]:
        """The worker's reply to `message`; on any failure the worker is killed (WorkerGone).

        What the request printed is drained either way (after a kill, to the end: what the
        worker wrote before it died); a request stopped at its time limit printed an amount
        that depends on the machine's speed, and is marked so (StudentOutput.truncated_bytes).
        """
        try:
            reply = self._running().exchange(message, seconds, timeout)
        except WorkerGone as gone:
            self.kill()
            self._capture.drain()
            if gone.reason in (timeout, self._used_up()):
                self._capture.stopped()
            raise
        self._capture.drain()
        return reply

    def take_output(self) -> StudentOutput | None:
        """What the student's code printed since this was last asked (or since the load)."""
        return self._capture.take()

    def _greet(self) -> None:
        """Read the worker's first message: it started, and this is how it is confined."""
        if self._greeted:
            return
        seconds = self._hello_due - time.monotonic()
        try:
            hello = self._running().receive(time.monotonic() + max(seconds, 0.0), "did not start in time")
            if not isinstance(hello, dict) or hello.get("hello") is not True or hello.get("seq") != 0:
                raise WorkerGone("sent a malformed greeting")
        except WorkerGone as gone:
            self.kill()
            raise SandboxError(
                f"the worker process {gone.reason} (before any student code ran); "
                "check that numpy imports in this Python"
            ) from None
        self.isolation = isolation_of(hello)
        if self._cgroup is not None:  # the grader's own layer: the worker cannot say it
            self.isolation = replace(self.isolation, cgroup=self._cgroup.describe())
        refused = refusal(self.isolation, self.trust)
        if refused is not None:
            self.kill()
            raise IsolationError(refused)
        self._greeted = True

    def greet(self) -> Isolation:
        """Start a worker and read how it is confined, running no student code (`grade doctor`)."""
        self.start()
        self._greet()
        assert self.isolation is not None
        return self.isolation

    # -- loading ------------------------------------------------------------------------

    def load(self) -> LoadResult:
        """Start the worker if needed and run the submission's top level in it.

        Raises SandboxError when the worker cannot start at all (before any student code).
        """
        with phase("worker start"):
            self.start()
            self._greet()
        began = time.monotonic()
        try:
            return self._load()
        finally:
            self.load_seconds = time.monotonic() - began

    def _load(self) -> LoadResult:
        if self.cells:
            return self._load_cells()
        limit = self.limits.load_seconds
        seconds, timeout = self._budget(limit, f"took longer than {limit:g} s")
        message = {"op": "load", "source": self.source, "filename": self.filename}
        try:
            with phase("worker start"):
                reply = self._exchange(message, max(seconds, 0.0), timeout)
        except WorkerGone as gone:
            error = LoadError("Crash", f"loading it {gone.reason}")
            return LoadResult(error=error, output=self._load_output())
        if reply.get("ok") is True:
            return replace(names_of(reply), output=self._load_output())
        return LoadResult(error=load_error(reply.get("error")), output=self._load_output())

    def _load_output(self) -> StudentOutput | None:
        """What loading printed; nothing when the worker is being restarted (shown once already)."""
        return None if self._capture.quiet else self.take_output()

    def _load_cells(self) -> LoadResult:
        """Run the notebook's cells in order; again without a cell that killed the worker."""
        while True:
            failures = self._notebook.run(self._cell_exchange, self._time_left, self._used_up())
            if isinstance(failures, LoadResult):
                return replace(failures, output=self._load_output())
            if failures is None:  # a cell killed the worker: a fresh one runs the rest again
                self.start()
                self._greet()
                continue
            seconds = max(min(self.limits.load_seconds, self._time_left()), 0.0)
            try:
                reply = self._exchange({"op": "names"}, seconds, "stopped answering")
            except WorkerGone as gone:
                error = LoadError("Crash", f"loading it {gone.reason}")
                return LoadResult(error=error, output=self._load_output())
            loaded = names_of(reply if reply.get("ok") is True else {})
            return LoadResult(
                names=loaded.names, error=loaded.error, cells=tuple(failures), output=self._load_output()
            )

    def _cell_exchange(self, message: dict[str, Any], seconds: float, timeout: str) -> dict[str, Any]:
        """Run one cell; what it prints is kept the first time only (a rerun prints it again)."""
        cell = str(message.get("filename"))
        quiet = self._capture.quiet
        self._capture.quiet = quiet or cell in self._cells_heard
        try:
            return self._exchange(message, seconds, timeout)
        finally:
            self._capture.quiet = quiet
            self._cells_heard.add(cell)

    def restart(self) -> bool:
        """Replace a dead or stuck worker with a fresh one; True when it loaded again."""
        self.kill()
        self.restarts += 1
        self._capture.close()  # what the dead worker printed last is the exercise's
        self._capture.quiet = True
        try:
            loaded = self.load()
        except SandboxError as exc:
            self._broken = f"could not be run: {exc}"
            return False
        finally:
            self._capture.quiet = False
        if loaded.error is not None:
            self.kill()
            self._broken = "could not be run: loading the submission again failed"
            return False
        return True

    # -- calls --------------------------------------------------------------------------

    def call(self, name: str, spec: Spec, batch: list[tuple[Any, ...]]) -> list[Outcome]:
        """Call `name` on every argument tuple of `batch`; one Outcome per tuple.

        On a timeout or a crash every call of the batch is `Crashed`, and a fresh worker is
        started (and loaded) when something is called next.
        """
        if not batch:
            return []
        if self._process is None and self._broken is None:
            self.restart()  # after a crash, only when something is called again
        if self._broken is not None:
            return [Crashed(self._broken)] * len(batch)
        limit = self.limits.call_seconds
        seconds, timeout = self._budget(limit * len(batch), f"timed out (the limit is {limit:g} s per call)")
        used_up = self._used_up()
        if seconds <= 0:
            self.kill()
            self._broken = used_up
            return [Crashed(used_up)] * len(batch)
        message = {"op": "call", "name": name, "spec": spec, "batch": [[encode(a) for a in x] for x in batch]}
        if name in self._formulas.variables:
            message["formula"] = self._formulas.variables[name]
        began = self.clock()
        try:
            with phase("student calls"):
                reply = self._exchange(message, seconds, timeout)
        except WorkerGone as gone:  # the worker is dead; the next call starts a fresh one
            if gone.reason == used_up:
                self._broken = used_up
            return [Crashed(gone.reason)] * len(batch)
        finally:
            self.student_seconds += self.clock() - began
        results = reply.get("results")
        if not isinstance(results, list) or len(results) != len(batch):
            self.kill()
            return [Crashed("sent a malformed reply")] * len(batch)
        overflow = self._scratch_overflow()
        if overflow is not None:
            return [Crashed(overflow)] * len(batch)
        with phase("student calls"):
            return [outcome(raw, spec) for raw in results]

    def _scratch_overflow(self) -> str | None:
        """Why the worker was stopped for the files in its scratch folder, or None.

        Without a private root (a tmpfs of `file_mb`) nothing bounds how many files the worker
        writes there: past `file_mb` in all, it is killed and the folder emptied.
        """
        if self.isolation is None or self.isolation.filesystem or self._scratch is None:
            return None
        limit = self.limits.file_mb << 20
        if scratch_bytes(self._scratch.name, limit) <= limit:
            return None
        self.kill()
        empty(self._scratch.name)
        return f"wrote more than {self.limits.file_mb} MiB of files into its folder, the limit"

    def _request(self, message: dict[str, Any], seconds: float) -> dict[str, Any] | str:
        """One request other than a call: the reply, or why the worker gave none."""
        if self._process is None and self._broken is None:
            self.restart()
        if self._broken is not None:
            return f"the worker {self._broken}"
        seconds = min(seconds, self._time_left())
        if seconds <= 0:
            return f"the worker {self._used_up()}"
        try:
            return self._exchange(message, seconds, f"took longer than {seconds:g} s")
        except WorkerGone as gone:
            return f"the worker {gone.reason}"

    # -- formula answers (formulas.py) ----------------------------------------------------

    def formula(self, name: str, variables: list[str]) -> str | None:
        """Have the worker read the formula answer `name`: None when it is accepted, else why not."""
        return self._formulas.read(name, variables)

    def formula_tree(self, name: str) -> tuple[Any, str]:
        """The accepted formula answer `name` as the worker's plain tree (untrusted), or why not."""
        return self._formulas.tree(name)
