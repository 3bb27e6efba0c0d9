"""2. Student code in another process: the `Sandbox` and what comes back from it.

`process` is the grader's side (starting, feeding and killing the worker; parsing its
replies).  `worker/` is the code that runs in the worker process: it is started by file
path, never imported by the grader, and imports nothing of matgrade.
"""

from grader.sandbox.process import (
    CellFailure,
    Crashed,
    Isolation,
    Leaf,
    Limits,
    LoadResult,
    Missing,
    Raised,
    Returned,
    Sandbox,
    Spec,
    Symbolic,
)

__all__ = [
    "CellFailure",
    "Crashed",
    "Isolation",
    "Leaf",
    "Limits",
    "LoadResult",
    "Missing",
    "Raised",
    "Returned",
    "Sandbox",
    "Spec",
    "Symbolic",
]
