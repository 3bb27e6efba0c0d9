"""2. Student code in another process: the `Sandbox` and what comes back from it.

The grader's side, one job per module:
- `sandbox.py`: the `Sandbox` (start, load, call, restart, kill), its deadlines and notebooks;
- `formulas.py`: formula answers, read in the worker and returned as a plain tree;
- `records.py`: the frozen records it returns (`Limits`, `Isolation`, `LoadResult`, `LoadError`,
  the call outcomes `Returned`/`Raised`/`Missing`/`Crashed`, `Leaf`, `CellFailure`);
- `protocol.py`: inputs encoded for the worker, and its replies validated into those records;
- `channel.py`: the pipes, framed JSON with sequence numbers, every wait under a deadline;
- `launch.py`: starting the worker process, and saying why one ended;
- `confinement.py`: the private uid, and killing every process of a worker;
- `policy.py`: whether the isolation a worker reports is enough for whose code it runs.
`worker/` is the code that runs in the worker process: it is started by file path, never
imported by the grader, and imports nothing of matgrade.
"""

from grader.sandbox.policy import Trust
from grader.sandbox.records import (
    CellFailure,
    Crashed,
    Isolation,
    Leaf,
    Limits,
    LoadError,
    LoadResult,
    Missing,
    Raised,
    Returned,
    Spec,
)
from grader.sandbox.sandbox import Sandbox

__all__ = [
    "CellFailure",
    "Crashed",
    "Isolation",
    "Leaf",
    "Limits",
    "LoadError",
    "LoadResult",
    "Missing",
    "Raised",
    "Returned",
    "Sandbox",
    "Spec",
    "Trust",
]
