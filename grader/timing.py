"""Where grading time goes: an opt-in accumulator of wall time per phase (bench/ reads it).

Off by default, and then `phase()` costs one attribute test.  On (MATGRADE_TIMING=1 in the
environment, or `enable()`), each `with phase("name"):` adds its perf_counter time to
`PHASES`.  Phases are exclusive: a phase entered inside another pauses the outer one, so the
totals add up to the time spent inside phases, with nothing counted twice.

Counts are per process: with --jobs 2 a forked job keeps its own (bench/ measures the
breakdown with one job).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

__all__ = ["PHASES", "Phases", "enable", "enabled", "phase"]


class _Open:
    """A phase being timed: its name and since when it counts."""

    __slots__ = ("name", "since")

    def __init__(self, name: str, since: float) -> None:
        self.name = name
        self.since = since


class Phases:
    """Seconds and entries per phase name; a stack makes nested phases exclusive.

    `clock` reads the time (perf_counter; a test passes a clock of its own).
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.on = bool(os.environ.get("MATGRADE_TIMING"))
        self.seconds: dict[str, float] = {}
        self.entries: dict[str, int] = {}
        self._stack: list[_Open] = []

    def reset(self) -> None:
        self.seconds.clear()
        self.entries.clear()
        self._stack.clear()

    def _add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        if not self.on:
            yield
            return
        now = self.clock()
        if self._stack:
            outer = self._stack[-1]
            self._add(outer.name, now - outer.since)
        frame = _Open(name, now)
        self._stack.append(frame)
        self.entries[name] = self.entries.get(name, 0) + 1
        try:
            yield
        finally:
            end = self.clock()
            self._add(name, end - frame.since)
            if self._stack and self._stack[-1] is frame:
                self._stack.pop()
            if self._stack:
                self._stack[-1].since = end


PHASES = Phases()


_OFF: AbstractContextManager[None] = nullcontext()


def phase(name: str) -> AbstractContextManager[None]:
    """`with phase("student calls"):` adds the block's time to PHASES when timing is on."""
    return PHASES.phase(name) if PHASES.on else _OFF


def enable(on: bool = True) -> None:
    """Turn timing on (or off) in this process."""
    PHASES.on = on


def enabled() -> bool:
    return PHASES.on
