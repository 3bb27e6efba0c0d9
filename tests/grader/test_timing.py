"""grader/timing.py: phases add up without double counting, and cost nothing when off."""

from __future__ import annotations

import pytest

from grader.timing import Phases


class Clock:
    """A clock that moves only when told: phase totals without the machine's speed."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_nested_phases_are_exclusive_and_add_up():
    """An inner phase pauses the outer one: the totals add up to the time spent inside."""
    clock = Clock()
    phases = Phases(clock)
    phases.on = True
    clock.now += 1.0  # before any phase: counted nowhere
    with phases.phase("outer"):
        clock.now += 0.02
        with phases.phase("inner"):
            clock.now += 0.05
        clock.now += 0.02
    clock.now += 1.0
    assert phases.entries == {"outer": 1, "inner": 1}
    assert phases.seconds == {"outer": pytest.approx(0.04), "inner": pytest.approx(0.05)}
    # Counted twice, the inner time would make the sum exceed the time inside by 0.05 s.
    assert sum(phases.seconds.values()) == pytest.approx(0.09)


def test_phases_record_nothing_when_off():
    """Off, a phase records neither time nor entries."""
    phases = Phases()
    phases.on = False
    with phases.phase("anything"):
        pass
    assert phases.seconds == {} and phases.entries == {}


def test_a_phase_left_by_an_exception_still_counts():
    """A phase ended by an exception is counted, and the stack is clean for the next one."""
    phases = Phases()
    phases.on = True
    try:
        with phases.phase("outer"), phases.phase("inner"):
            raise ValueError
    except ValueError:
        pass
    assert set(phases.seconds) == {"outer", "inner"}
    with phases.phase("after"):
        pass
    assert phases.entries["after"] == 1


def test_phases_read_the_performance_counter_by_default():
    """Without a clock of its own, a Phases reads time.perf_counter."""
    import time

    assert Phases().clock is time.perf_counter
