"""Control of the batch's processes: Ctrl-C held off during writes, and killing a process tree.

A batch process runs in a process group of its own, and each sandbox worker it starts in a
session of its own: killing one means its group and the groups of its children.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

__all__ = ["Interrupts", "kill", "stop"]


class Interrupts:
    """Counts SIGINTs while a batch runs, so that Ctrl-C never lands in the middle of a write.

    Outside the main thread no handler can be installed, and Ctrl-C cannot reach the batch.
    """

    def __init__(self) -> None:
        self.count = 0
        self._previous: Any = None
        self._installed = False

    def _handle(self, signum: int, frame: object) -> None:
        self.count += 1

    def __enter__(self) -> Interrupts:
        with contextlib.suppress(ValueError):
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)


def stop(processes: Sequence[BaseProcess]) -> None:
    """Kill batch processes at once, with their workers.

    Not SIGTERM: grading turns the exception a signal handler raises into an `error` result
    and goes on, so a process asked to stop could write a report that was never earned.
    """
    for process in processes:
        if process.exitcode is None:
            kill(process)
        else:
            process.join()


def kill(process: BaseProcess) -> None:
    """SIGKILL a batch process, everything in its group and its sandbox workers (each has a session).

    Then what its workers leave when it cannot clean up itself (grader/sandbox/remains.py).
    """
    pid = process.pid
    if pid is not None:
        for group in (pid, *_children(pid)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    process.join()
    if pid is not None:
        from grader.sandbox.remains import sweep

        sweep(pid)  # what its workers left: students' processes, cgroups, scratch folders


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
