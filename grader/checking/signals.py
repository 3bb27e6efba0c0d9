"""The exceptions that steer one exercise's search: they end it, or carry a failure out of it.

None of them reaches the caller of `check_exercise`: a wrong answer is a failed
`IdentityResult`, never an exception.  The ones that end a search at once are
BaseExceptions, so Hypothesis neither shrinks them nor reports them as bugs; `Failed` and
`StudentRaised` are the failures Hypothesis shrinks.
"""

from __future__ import annotations

from typing import Any

from grader.exercise import Case, Identity, Verdict
from grader.sandbox import Raised

__all__ = ["Caught", "Enough", "Failed", "OutOfTime", "Stop", "StudentRaised"]


class Stop(BaseException):
    """Ends the Hypothesis search at once (a BaseException, so it is not shrunk)."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Enough(BaseException):
    """Ends a search that found nothing once it has checked the inputs it was asked for."""


class OutOfTime(BaseException):
    """Ends a search at the exercise's time limit once it has failures to report."""


class Caught(BaseException):
    """Ends drawing a plan: the student failed on one of its input sets."""


class Failed(AssertionError):
    """Base of the per-identity failure classes; carries the case and the failing verdicts."""

    case: Case
    failing: list[tuple[Identity, Verdict]]


class StudentRaised(Exception):
    """The student's function raised on this input."""

    def __init__(self, inputs: dict[str, Any], raised: Raised) -> None:
        super().__init__(raised.message)
        self.inputs = inputs
        self.raised = raised
