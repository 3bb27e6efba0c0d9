"""grader/timing.py: phases add up without double counting, and cost nothing when off."""

from __future__ import annotations

import time

from grader.timing import Phases


def test_nested_phases_are_exclusive_and_add_up():
    """An inner phase pauses the outer one: the totals add up to the time spent inside."""
    phases = Phases()
    phases.on = True
    started = time.perf_counter()
    with phases.phase("outer"):
        time.sleep(0.02)
        with phases.phase("inner"):
            time.sleep(0.05)
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    assert phases.entries == {"outer": 1, "inner": 1}
    assert phases.seconds["inner"] >= 0.05 and phases.seconds["outer"] >= 0.04
    # Counted twice, the inner sleep would make the sum exceed the elapsed time by 0.05 s.
    assert elapsed - 0.02 < sum(phases.seconds.values()) <= elapsed


def test_phases_record_nothing_when_off():
    phases = Phases()
    phases.on = False
    with phases.phase("anything"):
        pass
    assert phases.seconds == {} and phases.entries == {}


def test_a_phase_left_by_an_exception_still_counts():
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
