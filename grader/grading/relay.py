"""Progress of a grading run: each exercise's name told once it is graded, across processes.

`grade_submission` grades groups of exercises in forked pool children; each child tells one
queue (set up by the pool's initializer, `tell_through`), and a `Relay` thread in the parent
reads the queue and tells the caller's `Progress`.  Outside a pool child `told()` is None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Progress", "Relay", "tell_through", "told"]

Progress = Callable[[str], None]  # told the name of each exercise once it is graded

# In a forked pool child of grade_submission: where it tells the parent of each exercise
# it has graded (set by tell_through; None everywhere else).
_told: Progress | None = None


def tell_through(finished: Any) -> None:
    """Pool initializer: tell the parent of each graded exercise through the queue `finished`."""
    global _told
    _told = finished.put


def told() -> Progress | None:
    """Where this process tells of each graded exercise: set in a pool child, else None."""
    return _told


class Relay:
    """Reads the names of graded exercises from the pool's queue and tells `progress`."""

    def __init__(self, finished: Any, progress: Progress) -> None:
        import threading

        self.finished = finished
        self.progress = progress
        self.thread = threading.Thread(target=self._run, name="matgrade-progress", daemon=True)

    def _run(self) -> None:
        while (name := self.finished.get()) is not None:
            self.progress(name)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        """Wait until every name sent so far has been told, then end the thread."""
        self.finished.put(None)
        self.thread.join()
