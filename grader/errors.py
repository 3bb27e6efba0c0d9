"""The typed errors of matgrade, translated into messages and exit codes once, in the CLI.

    GraderError                  anything matgrade refuses to do, with a message for a person
    ├── UsageError               a bad option, seed or exercise name             (exit 2)
    │   └── PackError            an exercise pack cannot be loaded or is malformed (exit 2)
    ├── SubmissionError          the submission cannot be read or loaded         (exit 2)
    ├── SandboxError             the worker process could not be started at all  (exit 2)
    │   └── IsolationError       this machine cannot isolate student code enough (exit 2)
    ├── OutputError              an output folder or file cannot be written      (exit 2)
    ├── ClusterError             the Dask scheduler cannot be reached, or went
    │                            away mid-batch; what was done is saved          (exit 2)
    └── Interrupted              Ctrl-C stopped a batch; what was done is saved  (exit 130)

A wrong answer is never an exception: it is a failed `IdentityResult` in the report.  A
student's function that raises, hangs or crashes is an `error` result, not a GraderError.
"""

from __future__ import annotations

__all__ = [
    "ClusterError",
    "GraderError",
    "Interrupted",
    "IsolationError",
    "OutputError",
    "PackError",
    "SandboxError",
    "SubmissionError",
    "UsageError",
]


class GraderError(Exception):
    """Base of every error matgrade reports to a person; `str(err)` is the message."""

    exit_code = 2


class UsageError(GraderError):
    """The command was called wrongly: unknown exercise, bad option value."""


class PackError(UsageError):
    """An exercise pack cannot be read, loaded or checked: the message names the field and what is allowed."""


class SubmissionError(GraderError):
    """The submission file cannot be read, parsed or imported."""


class SandboxError(GraderError):
    """The isolated worker process could not be started."""


class IsolationError(SandboxError):
    """The worker started, but cannot be confined enough here to run this code (policy.py)."""


class OutputError(GraderError):
    """An output folder or file cannot be created or written: checked before any grading."""


class ClusterError(GraderError):
    """The Dask scheduler of `grade batch --scheduler` cannot be reached, or went away mid-batch.

    What was graded is saved; running the same command again grades the students still to do.
    """


class Interrupted(GraderError):
    """The person pressed Ctrl-C (SIGINT); the work finished so far was saved before stopping."""

    exit_code = 130
