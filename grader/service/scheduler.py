"""Grading on a Dask cluster (`grade serve --scheduler tcp://HOST:8786`) instead of local processes.

Each claimed submission is one task: its bytes, the assignment's TOML text and the student's
name go to a worker, which writes them to a private temporary folder and grades them with the
same `job.run` as a local grading (the student's code in the sandbox on that worker); only
the result record comes back.  A task that raises or overruns its budget is a `failed`
outcome; the queue (claims, one result per claim) is the same.  dask.distributed is imported
only here (the `dask` extra).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader.errors import UsageError
from grader.service.job import Request, grade_bytes
from grader.service.queue import Outcome

__all__ = ["DaskGrader"]


class DaskGrader:
    """A client of the Dask scheduler at `address`."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs dask.distributed: pip install 'matgrade[dask]'") from None
        factory: Any = Client  # untyped: its calls are checked here, not by mypy
        self.client: Any = factory(address, timeout=10)

    def grade(self, request: Request, budget: float) -> Outcome:
        """Grade `request` on the cluster within `budget` seconds."""
        from grader.service.dispatcher import outcome_of

        data = (Path(request.folder) / request.filename).read_bytes()
        assignment = Path(request.assignment).read_text(encoding="utf-8")
        future = self.client.submit(
            grade_bytes, request.filename, data, assignment, request.student, request.trusted, pure=False
        )
        try:
            record: dict[str, Any] = future.result(timeout=budget)
        except TimeoutError:
            future.cancel()
            return Outcome(status="failed", message=f"grading on the cluster took longer than {budget:g} s")
        except Exception as exc:  # the task raised on the worker, or the worker died
            return Outcome(
                status="failed", message=f"grading on the cluster failed: {type(exc).__name__}: {exc}"
            )
        return outcome_of(record)

    def close(self) -> None:
        self.client.close()
