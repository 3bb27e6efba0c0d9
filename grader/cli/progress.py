"""The progress line of `grade FILE` on a terminal's stderr; it leaves nothing behind."""

from __future__ import annotations

import os

import click

__all__ = ["Progress"]


class Progress:
    """A line on stderr, a terminal, counting graded exercises; drawn once grading takes a while.

    It appears after MATGRADE_PROGRESS_DELAY seconds (default 2; the tests set 0) and is
    erased by `finish`, so that nothing of it stays above the report.
    """

    def __init__(self, total: int) -> None:
        import threading

        self.total = total
        self.done = 0
        self.last = ""
        self.shown = False
        self.finished = False
        self.lock = threading.Lock()
        try:
            delay = float(os.environ.get("MATGRADE_PROGRESS_DELAY", "2"))
        except ValueError:
            delay = 2.0
        self.timer = threading.Timer(delay, self._show)
        self.timer.daemon = True
        if delay <= 0:
            self._show()
        else:
            self.timer.start()

    def __call__(self, name: str) -> None:
        with self.lock:
            self.done += 1
            self.last = name
            if self.shown:
                self._draw()

    def _show(self) -> None:
        with self.lock:
            if not self.finished:
                self.shown = True
                self._draw()

    def _draw(self) -> None:
        line = f"grading: {self.done}/{self.total} exercises"
        if self.last:
            line += f" (last: {self.last})"
        click.echo(f"\r\x1b[K{line}", nl=False, err=True)

    def finish(self) -> None:
        """Stop the timer and erase the line, so that what follows starts a clean line."""
        self.timer.cancel()
        with self.lock:
            if self.shown:
                click.echo("\r\x1b[K", nl=False, err=True)
            self.shown = False
            self.finished = True
