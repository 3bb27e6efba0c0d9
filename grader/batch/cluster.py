"""`grade batch --dask` and `--scheduler ADDRESS`: the batch's students graded on a Dask cluster.

The client (this process) reads each submission, sends one task per student to the cluster
(grader/batch/task.py: the batch process's own grading function, in the same sandbox) and
writes each student's files and gradebook row as their result arrives, through the same
`Gradebook` as the local batch, so the progress line is the same.  Dask is imported only
here, and only when one of the two options is given.

Invariants:
- The output folder is byte for byte what a local batch writes with the same settings: the
  files are rendered by the same function on the worker and written by the client with the
  same atomic writes, the stamp last.
- Nothing is lost.  A result is on disk before the next is waited for; a student whose
  worker died is graded again once (this module's LocalCluster; an external scheduler
  retries as many times as its `distributed.scheduler.allowed-failures` says) and then gets
  a `crashed` row; a scheduler that goes away (or cannot be reached) raises ClusterError
  after the results received are written, and a re-run grades only the students still to do
  (their stamps are missing).
- Ctrl-C cancels the tasks still running; what arrived is kept (grader/batch/__init__.py
  then raises Interrupted).
"""

from __future__ import annotations

import contextlib
import queue
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from grader.batch.gradebook import failed_row, write_atomic
from grader.batch.student import Run, collected, read_one, unwritable, write_files

if TYPE_CHECKING:
    from grader.batch.gradebook import Gradebook, Row
    from grader.batch.processes import Interrupts
    from grader.batch.survey import Submission
    from grader.batch.task import Outcome
    from grader.grading import Options
    from grader.sandbox.policy import Trust

__all__ = [
    "CONNECT_SECONDS",
    "IN_FLIGHT",
    "LOCAL_CONFIG",
    "WORKERS_SECONDS",
    "Cluster",
    "grade_on_cluster",
    "require_dask",
]

CONNECT_SECONDS = 10  # to reach a scheduler given by --scheduler
WORKERS_SECONDS = 60  # for a first worker to join a scheduler that has none
# Students are sent one per worker thread, no more: a worker that dies had only the students
# it was grading (each then tried once more), none merely queued there, and the client holds
# at most IN_FLIGHT submissions.
IN_FLIGHT = 256
_RECOUNT = 2.0  # seconds between counts of the workers' threads
# The scheduler of --dask: a worker that dies mid-task costs its student one more try, then
# a `crashed` row; a worker holds only the task it runs (saturation 1.0, one thread).
# Its workers do not sample their own stacks every 10 ms (Dask's profiler, for the dashboard,
# which --dask does not start).
LOCAL_CONFIG = {
    "distributed.scheduler.allowed-failures": 1,
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.worker.profile.enabled": False,
    # Nor 1 BLAS thread (Dask's default for its workers): the environment of the grader and of
    # its sandboxes stays this process's, as in a local batch, so that nothing differs by
    # construction (a student's code may print what numpy warns, which BLAS threads can change).
    "distributed.nanny.pre-spawn-environ": {},
}
_POLL = 0.5  # seconds between looks at Ctrl-C and the scheduler while no result arrives

_Queued = tuple["Submission", "Options", str]


@dataclass(frozen=True, slots=True)
class Cluster:
    """Where a batch is graded: the scheduler at `address`, or a LocalCluster of `workers` processes."""

    address: str = ""  # "" for a LocalCluster on this machine
    workers: int = 2

    @property
    def name(self) -> str:
        """How messages name it: the scheduler's address, or "a local Dask cluster"."""
        return f"the Dask scheduler at {self.address}" if self.address else "the local Dask cluster"


def require_dask() -> Any:
    """dask.distributed, or UsageError saying how to install it."""
    from grader.errors import UsageError

    try:
        import distributed
    except ImportError:
        raise UsageError(
            "--dask and --scheduler need Dask, which is not installed: pip install 'matgrade[dask]'"
        ) from None
    return distributed


@contextlib.contextmanager
def _client(cluster: Cluster) -> Iterator[Any]:
    """A client of the cluster, closed (with the LocalCluster it started) on the way out.

    Raises ClusterError when the scheduler cannot be reached or no worker joins it.
    """
    import logging

    import dask

    from grader.errors import ClusterError

    distributed = require_dask()
    with contextlib.ExitStack() as stack:
        if cluster.address:
            try:
                client = distributed.Client(
                    cluster.address, timeout=CONNECT_SECONDS, set_as_default=False
                )
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterError(
                    f"cannot reach {cluster.name}: {exc}. Start one with `dask scheduler` and "
                    f"workers with `dask worker {cluster.address}`, or check the address"
                ) from None
            stack.enter_context(client)
        else:
            try:
                with dask.config.set(LOCAL_CONFIG), _ignoring_ctrl_c():
                    local = distributed.LocalCluster(
                        n_workers=cluster.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",
                        silence_logs=logging.ERROR,
                    )
            except (OSError, RuntimeError, TimeoutError) as exc:
                raise ClusterError(
                    f"could not start {cluster.name}: {exc}; run without --dask for the local batch"
                ) from None
            stack.enter_context(local)
            client = stack.enter_context(distributed.Client(local, set_as_default=False))
        try:
            client.wait_for_workers(1, timeout=WORKERS_SECONDS)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"no Dask worker joined {cluster.name} within {WORKERS_SECONDS} s ({exc}): "
                f"start workers with `dask worker {cluster.address or 'ADDRESS'}`"
            ) from None
        yield client


@contextlib.contextmanager
def _ignoring_ctrl_c() -> Iterator[None]:
    """SIGINT ignored while the LocalCluster's workers are spawned, so that they inherit it.

    Ctrl-C on a terminal reaches every process of the foreground group: the batch stops its
    workers itself (grader/batch/__init__.py), they must not die first, each with a traceback.
    """
    import signal

    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: no handler can be set, and none is needed
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _allowed_failures(dask_scheduler: Any) -> int:
    """On the scheduler: how many times it retries a task whose worker died."""
    return int(dask_scheduler.allowed_failures)


def _confirm_here(trust: Trust) -> str:
    """On a worker: "" when this machine isolates students' code enough for `trust`, else why not."""
    from grader.errors import GraderError
    from grader.sandbox.policy import confirm

    try:
        confirm(trust)
    except GraderError as exc:
        return str(exc)
    return ""


def grade_on_cluster(
    queued: Sequence[_Queued],
    run: Run,
    book: Gradebook,
    interrupts: Interrupts,
    cluster: Cluster,
    trust: Trust,
    notice: Callable[[str], None] | None = None,
) -> None:
    """Grade the students `queued` on `cluster`, writing their files and rows as they arrive.

    Returns when every student has a row, or on Ctrl-C (`interrupts`) with the results
    received kept.  Raises ClusterError when the scheduler cannot be reached or goes away;
    IsolationError when a worker cannot isolate the students' code enough (before any grading).
    """
    from grader import __version__
    from grader.batch.task import grade_task
    from grader.errors import ClusterError, IsolationError

    with _client(cluster) as client:
        refused = {w: why for w, why in client.run(_confirm_here, trust).items() if why}
        if refused:
            worker, why = sorted(refused.items())[0]
            raise IsolationError(f"the Dask worker {worker} cannot grade other people's code: {why}")
        retries = client.run_on_scheduler(_allowed_failures)
        if retries != 1 and notice is not None:
            notice(
                f"{cluster.name} grades a student again up to {retries} times when their worker "
                "dies (distributed.scheduler.allowed-failures), then the row is `crashed`"
            )
        waiting = list(queued)
        flying: dict[Any, Submission] = {}
        arrived: queue.SimpleQueue[Any] = queue.SimpleQueue()  # futures as they complete
        threads, counted = _threads(client), time.monotonic()
        staffed = counted  # when the cluster last had a worker
        try:
            while (waiting or flying) and not interrupts.count:
                if time.monotonic() - counted > _RECOUNT:  # workers come and go
                    threads, counted = _threads(client), time.monotonic()
                    if threads:
                        staffed = counted
                    elif counted - staffed > WORKERS_SECONDS:
                        raise ClusterError(_deserted(cluster, book))
                while waiting and len(flying) < max(1, min(IN_FLIGHT, threads)):
                    sub, options, stamp = waiting.pop(0)
                    assert sub.path is not None
                    try:
                        (run.out / sub.folder).mkdir(parents=True, exist_ok=True)
                    except OSError as exc:  # costs this student only
                        book.finish(unwritable(sub, exc, run))
                        continue
                    read = read_one(sub.path, inside=run.inside)
                    future = client.submit(
                        grade_task,
                        __version__,
                        sub.path,
                        read,
                        options,
                        tuple(run.formats),
                        run.assignment,
                        stamp,
                        key=f"matgrade-{sub.folder}-{stamp[:16]}",
                        pure=False,
                    )
                    flying[future] = sub
                    future.add_done_callback(arrived.put)
                try:
                    # Wakes when a result arrives, or after _POLL to look at Ctrl-C and the scheduler.
                    ready = [arrived.get(timeout=_POLL)]
                except queue.Empty:
                    if client.status not in ("running", "connecting"):
                        raise ClusterError(_lost(cluster, book)) from None
                    continue
                with contextlib.suppress(queue.Empty):
                    while True:
                        ready.append(arrived.get_nowait())
                for future in ready:
                    if future not in flying:
                        continue  # cancelled by us after Ctrl-C, or already collected
                    if interrupts.count and future.status != "finished":
                        continue  # Ctrl-C reaches a LocalCluster's workers too: not their students' fault
                    sub = flying.pop(future)
                    if future.status == "cancelled":  # not by us: the scheduler is gone
                        raise ClusterError(_lost(cluster, book))
                    book.finish(_row(future, sub, run))
                    future.release()
        finally:
            if flying:
                client.cancel(list(flying), force=True)


def _threads(client: Any) -> int:
    """The threads of the cluster's workers now: how many students are sent at once."""
    return sum(client.nthreads().values())


def _row(future: Any, sub: Submission, run: Run) -> Row:
    """The row of a student whose task ended: their files written, or what went wrong."""
    folder = run.out / sub.folder
    if future.status == "error":
        exc = future.exception()
        if type(exc).__name__ == "KilledWorker":
            why = (
                "the Dask worker grading this student died each time it was tried "
                "(killed, or out of memory)"
            )
        else:
            why = f"the Dask task failed: {type(exc).__name__}: {exc}"
        return failed_row(sub.student, "crashed", run.assignment, why)
    outcome: Outcome = future.result()
    try:
        if outcome.error:
            write_atomic(folder / "batch-error.txt", outcome.error + "\n")
            return collected(sub.student, folder, 3, run.assignment)  # as a batch process's error
        write_files(folder, dict(outcome.files))
    except OSError as exc:
        return unwritable(sub, exc, run)
    return collected(sub.student, folder, 0, run.assignment)


def _deserted(cluster: Cluster, book: Gradebook) -> str:
    """The message of a cluster left without workers mid-batch."""
    left = len(book.submissions) - len(book.rows)
    return (
        f"no Dask worker left in {cluster.name} for {WORKERS_SECONDS} s, with {left} students "
        "still to grade; what was graded is saved: start workers and run the same command again"
    )


def _lost(cluster: Cluster, book: Gradebook) -> str:
    """The message of a scheduler gone mid-batch."""
    left = len(book.submissions) - len(book.rows)
    return (
        f"lost {cluster.name} with {left} students still to grade; what was graded is saved: "
        "run the same command again (once the scheduler is back) to grade the others"
    )
