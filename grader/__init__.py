"""matgrade: grades matrix-calculus exercises with Hypothesis-generated inputs.

The public API is small and listed here; everything heavy is imported on first use, so
`import grader` (and `grade --help`) stays fast.

`check` is both the module grader.check (one exercise's search) and, for students,
`from grader import check; check(neuron_grad)` (grader.selfcheck.check): the submodule is
made callable when it is imported, so either import order gives a working `check`.
"""

from __future__ import annotations

import sys
import types
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
}


class _CallableCheck(types.ModuleType):
    """The module grader.check, callable as the self-check `check(fn)` of grader.selfcheck."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from grader.selfcheck import check

        return check(*args, **kwargs)


class _Package(types.ModuleType):
    # The import system sets `grader.check` to the submodule when it is first imported
    # (by grading or by `from grader import check`); make that module callable there.
    def __setattr__(self, name: str, value: Any) -> None:
        if name == "check" and type(value) is types.ModuleType:
            value.__class__ = _CallableCheck
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name == "check":
        import importlib

        importlib.import_module("grader.check")
        return sys.modules["grader.check"]
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'grader' has no attribute {name!r}")
