"""The records of the sandbox: its limits, what confines it, and what comes back from it.

Every record is a frozen dataclass built by the grader from a reply it has validated
(`protocol.py`); nothing here is ever built by the worker or read from it unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.student_output import StudentOutput

__all__ = [
    "CellFailure",
    "Crashed",
    "Isolation",
    "Leaf",
    "Limits",
    "LoadError",
    "LoadResult",
    "Missing",
    "Outcome",
    "Raised",
    "Returned",
    "Spec",
]

Spec = Any  # "leaf" | ("tuple", [Spec, ...]) | ("list", Spec)


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits of the worker; docs/security.md lists each with its option."""

    call_seconds: float = 2.0
    exercise_seconds: float = 30.0
    submission_seconds: float = 600.0
    memory_mb: int = 1024
    start_seconds: float = 20.0
    load_seconds: float = 10.0
    cell_seconds: float = 10.0
    symbolic_seconds: float = 3.0  # sympy's comparison of a formula answer, in the grader (formula.py)
    # Tasks (processes and threads) of the worker's tree: jax's import alone starts about 16.
    # Where no cgroup bounds the tree's memory, at most 8 (grader/sandbox/cgroup.py).
    processes: int = 32
    file_mb: int = 64


@dataclass(frozen=True, slots=True)
class Isolation:
    """What confines the worker on this machine, as its greeting said; `notes` say what is missing.

    `user`: it switched to a private uid; `root`: student code would run with euid 0 (an
    absent answer counts as root); `network`, `filesystem`: private namespaces; `landlock`: the
    Landlock ABI in force (0: none); `seccomp`: the system-call filter is loaded;
    `capabilities`: those it kept (normally none); `cgroup` is set by the grader, never the
    worker.  docs/security.md explains each layer.
    """

    user: bool = False
    network: bool = False
    filesystem: bool = False
    notes: tuple[str, ...] = ()
    landlock: int = 0
    seccomp: bool = False
    root: bool = True
    capabilities: tuple[str, ...] = ()
    cgroup: str = ""  # the grader's own layer: what the worker's cgroup bounds ("" without one)


@dataclass(frozen=True, slots=True)
class Leaf:
    """One returned array: float64 values, the shape and the dtype the student used."""

    values: Any  # numpy float64 ndarray
    dtype: str


@dataclass(frozen=True, slots=True)
class Returned:
    """The function returned; `value` is a Leaf, or a tuple/list of them."""

    value: Any


@dataclass(frozen=True, slots=True)
class Raised:
    """The function raised, or returned something that is not a real array."""

    type: str
    message: str
    traceback: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Missing:
    """The function raised NotImplementedError: a stub, counted as missing."""


@dataclass(frozen=True, slots=True)
class Crashed:
    """The worker died or timed out during the call; the next call gets a fresh one."""

    reason: str


Outcome = Returned | Raised | Missing | Crashed


@dataclass(frozen=True, slots=True)
class CellFailure:
    """A notebook cell that raised, overran its time limit or killed the worker.

    `error.type` is the exception's name, "Timeout", or "Crash" (the worker died or hung).
    """

    number: int
    error: Raised


@dataclass(frozen=True, slots=True)
class LoadError:
    """What stopped the submission from loading, as the grader validated it.

    `type` is the exception's name ("SyntaxError", "SystemExit" ...), "Error" when the worker
    said nothing usable, or "Crash" when the worker died, hung, overran or replied nonsense
    (`message` then says how).  `line`, `offset` and `text` place a syntax error.
    """

    type: str
    message: str = ""
    line: int | None = None
    offset: int | None = None
    text: str = ""
    traceback: str = ""


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading the submission gave: the names it defines, or the error that stopped it.

    For a notebook, `cells` lists the cells that failed; the others ran.  `output` is what
    the submission printed while it loaded (every cell's, for a notebook), or None.
    """

    names: dict[str, str] = field(default_factory=dict)
    error: LoadError | None = None
    cells: tuple[CellFailure, ...] = ()
    output: StudentOutput | None = None
