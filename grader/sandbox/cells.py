"""A notebook run in a worker cell by cell, one message per cell.

A cell that raises is reported and the next cell runs; a cell that overruns its time limit,
or kills or hangs the worker, is reported and left out of every later run (the Sandbox then
runs the notebook again without it in a fresh worker).  More than MAX_FATAL_CELLS such cells
and the notebook is given up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from grader.sandbox.channel import WorkerGone
from grader.sandbox.protocol import raised
from grader.sandbox.records import CellFailure, Limits, LoadError, LoadResult, Raised

if TYPE_CHECKING:
    from grader.submission import Cell

__all__ = ["CELL_GRACE", "MAX_FATAL_CELLS", "Cells"]

CELL_GRACE = 2.0  # seconds past a cell's own alarm before the grader kills the worker
MAX_FATAL_CELLS = 5  # cells that may kill the worker before the notebook is given up

Exchange = Callable[[dict[str, Any], float, str], dict[str, Any]]


def _overran(seconds: float) -> str:
    return f"it ran longer than {seconds:g} s, the time limit per cell"


class Cells:
    """The cells of one notebook, and those of them left out of every later run."""

    def __init__(self, cells: Sequence[Cell], limits: Limits) -> None:
        self.cells = tuple(cells)
        self.limits = limits
        # Cells that killed a worker or overran their time: never run again, failed as before.
        self.left_out: dict[int, Raised] = {}

    def run(
        self, exchange: Exchange, time_left: Callable[[], float], used_up: str
    ) -> list[CellFailure] | LoadResult | None:
        """The failed cells of one run through the notebook; None when a cell killed the worker.

        A LoadResult with an error when the whole notebook must be given up.
        """
        failures: list[CellFailure] = []
        for cell in self.cells:
            if cell.number in self.left_out:
                failures.append(CellFailure(cell.number, self.left_out[cell.number]))
                continue
            if not cell.source.strip():
                continue
            try:
                error = self._run(cell, exchange, time_left(), used_up)
            except WorkerGone as gone:
                return self._stopped_by(cell, gone.reason, used_up)
            if error is not None:
                failures.append(CellFailure(cell.number, error))
        return failures

    def _run(self, cell: Cell, exchange: Exchange, time_left: float, used_up: str) -> Raised | None:
        """Run one cell: the error it raised, or None.  WorkerGone when it stopped the worker."""
        limit = self.limits.cell_seconds
        wait = limit + CELL_GRACE
        seconds = min(wait, time_left)
        if seconds <= 0:
            raise WorkerGone(used_up)
        timeout = used_up if seconds < wait else "timed out"
        message = {"op": "cell", "filename": cell.filename, "source": cell.source, "seconds": limit}
        reply = exchange(message, seconds, timeout)
        if reply.get("ok") is True:
            return None
        error = raised(reply.get("error"))
        if error.type == "Timeout":
            error = Raised("Timeout", _overran(limit))
            self.left_out[cell.number] = error  # a rerun would only wait again
        return error

    def _stopped_by(self, cell: Cell, reason: str, used_up: str) -> LoadResult | None:
        """A cell stopped the worker: it is left out from now on.  A LoadResult to give up."""
        if reason == used_up:
            return LoadResult(error=LoadError("Crash", f"loading it {used_up}"))
        if reason == "timed out":
            self.left_out[cell.number] = Raised("Timeout", _overran(self.limits.cell_seconds))
        else:
            self.left_out[cell.number] = Raised("Crash", reason)
        if sum(e.type == "Crash" for e in self.left_out.values()) > MAX_FATAL_CELLS:
            given_up = f"was given up: more than {MAX_FATAL_CELLS} of its cells stopped the worker"
            return LoadResult(error=LoadError("Crash", given_up))
        return None
