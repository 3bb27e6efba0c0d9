"""matgrade's own time on an exercise: timed apart from the student's, with advice when it overran.

The student's time (the sandbox's `student_seconds`) is the time limit's business; the rest,
by the sandbox's clock, is matgrade's: drawing inputs, reference answers, judging.  When that
exceeds the exercise's own time limit, the report's `advice` says what to lower.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.checking import Settings
    from grader.report import ExerciseResult
    from grader.sandbox import Sandbox

__all__ = ["slow_note", "timed"]


def timed(
    name: str, sandbox: Sandbox, settings: Settings, check: Callable[[], ExerciseResult]
) -> tuple[ExerciseResult, str | None]:
    """`check()` (of exercise `name`, in `sandbox`), with a note when matgrade's own work overran."""
    began, student = sandbox.clock(), sandbox.student_seconds
    result = check()
    own = (sandbox.clock() - began) - (sandbox.student_seconds - student)
    return result, slow_note(name, own, settings)


def slow_note(name: str, own: float, settings: Settings) -> str | None:
    """What to change when matgrade's own work on exercise `name` took `own` seconds; None if fine.

    It is too long once it exceeds the exercise's own time limit: the student's code gets
    that long, and the grader should not need more.
    """
    if own <= settings.exercise_seconds:
        return None
    return (
        f"matgrade's own work on `{name}` took {own:.0f} s (drawing and checking "
        f"{settings.examples} inputs, beyond the {settings.exercise_seconds:g} s the student's "
        "function may take); lower --examples (or `examples` in the assignment) for a faster run"
    )
