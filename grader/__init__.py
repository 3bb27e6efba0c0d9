"""matgrade: grades matrix-calculus exercises with Hypothesis-generated inputs.

The public API is small and listed here; everything heavy is imported on first use, so
`import grader` (and `grade --help`) stays fast.

For students in a notebook: `from matgrade import check; check(neuron_grad)` (grader.selfcheck);
one exercise's search is the module grader.checking.checker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from grader.errors import GraderError, SandboxError, SubmissionError, UsageError

__version__ = "0.1.0"

__all__ = [
    "Counterexample",
    "Exercise",
    "ExerciseResult",
    "GraderError",
    "Identity",
    "IdentityResult",
    "Options",
    "Report",
    "SandboxError",
    "SubmissionError",
    "UsageError",
    "__version__",
    "check",
    "grade",
]

if TYPE_CHECKING:
    from grader.exercise import Exercise, Identity
    from grader.grading import Options, grade
    from grader.report import Counterexample, ExerciseResult, IdentityResult, Report
    from grader.selfcheck import check

_LAZY = {
    "Exercise": "grader.exercise",
    "Identity": "grader.exercise",
    "Options": "grader.grading",
    "grade": "grader.grading",
    "Counterexample": "grader.report",
    "ExerciseResult": "grader.report",
    "IdentityResult": "grader.report",
    "Report": "grader.report",
    "check": "grader.selfcheck",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'grader' has no attribute {name!r}")
