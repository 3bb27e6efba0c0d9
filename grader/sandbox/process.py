"""The sandbox: a worker process that runs student code, and the grader's side of its pipes.

Invariants (the threat model and every limit are in docs/security.md):
- Student code never runs in the grader's process.  The worker (`worker/main.py`, run as a
  script in isolated mode) gets the inputs as plain numbers and answers with plain numbers;
  every comparison happens here, in the grader, where student code cannot reach.
- Nothing from the worker is unpickled or trusted: replies are size-capped JSON that must
  echo the request's sequence number, validated here field by field; text is cut to length
  and stripped of terminal control characters; anything malformed is a crash of the worker,
  never of the grader.  The grader reads no file that the worker could have written.
- Every wait on the worker has a deadline (per call, for loading, for the whole
  submission); on a timeout or a crash the worker is killed with everything it started (its
  session, and every process of its private uid) and a fresh one is loaded.
- A notebook runs cell by cell, one message each: a cell that raises is reported and the
  next cell runs; a cell that overruns its time limit, or kills or hangs the worker, is
  reported and left out of every later run (after such a kill the notebook is run again
  without it in a fresh worker, and each time a worker is restarted).
- When the grader runs as root, each worker gets a private uid that no other process has,
  so its processes can be counted (RLIMIT_NPROC) and found again to be killed, and it can
  neither signal nor read the grader.  The worker confines itself further (network, file
  system) before any student code runs and says in its first message what holds.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import math
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.errors import SandboxError
from grader.timing import phase

if TYPE_CHECKING:
    from grader.submission import Cell

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

WORKER = Path(__file__).with_name("worker") / "main.py"
MAX_REPLY = 16 * 1024 * 1024
MAX_ELEMENTS = 100_000  # per returned array, as in worker/main.py
_DTYPES = frozenset({"float16", "float32", "float64", "float128", "longdouble"})
_KINDS = frozenset({"function", "formula", "other"})
CELL_GRACE = 2.0  # seconds past a cell's own alarm before the grader kills the worker
MAX_FATAL_CELLS = 5  # cells that may kill the worker before the notebook is given up

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
    symbolic_seconds: float = 3.0  # sympy's comparison of a formula answer (grader/checking/formula.py)
    processes: int = 8
    file_mb: int = 64


@dataclass(frozen=True, slots=True)
class Isolation:
    """What confines the worker on this machine; `notes` say what is missing, and why."""

    user: bool = False
    network: bool = False
    filesystem: bool = False
    notes: tuple[str, ...] = ()


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
class Symbolic:
    """The worker's symbolic comparison of a formula answer with the reference (untrusted).

    `equal` is True or False when sympy decided, None when it could not (`reason` says why);
    `differences` are (entry, the simplified difference, whether it is a nonzero constant).
    """

    equal: bool | None
    reason: str = ""
    differences: tuple[tuple[int, str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class CellFailure:
    """A notebook cell that raised, overran its time limit or killed the worker.

    `error.type` is the exception's name, "Timeout", or "Crash" (the worker died or hung).
    """

    number: int
    error: Raised


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading the submission gave: the names it defines, or the error that stopped it.

    For a notebook, `cells` lists the cells that failed; the others ran.
    """

    names: dict[str, str] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    cells: tuple[CellFailure, ...] = ()


class _WorkerGone(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- text from the worker ------------------------------------------------------------------

# Terminal controls (escape sequences, carriage returns) and bidirectional overrides could
# redraw or reorder a report on screen, so a failure could be hidden: they are shown escaped.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _text(raw: Any, limit: int = 4000) -> str:
    if not isinstance(raw, str):
        return ""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", raw[:limit])


def _bounded(raw: Any, low: int, high: int) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return min(max(raw, low), high)
    return None


# -- values --------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    import numpy as np

    if isinstance(value, np.ndarray):
        return {"a": list(value.shape), "d": value.astype(np.float64).ravel().tolist()}
    if isinstance(value, (bool, np.bool_)):
        return {"i": int(value)}
    if isinstance(value, (int, np.integer)):
        return {"i": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"f": float(value)}
    if isinstance(value, (list, tuple)):
        return {"l": [_encode(v) for v in value]}
    raise TypeError(f"cannot send {type(value).__name__} to the worker")


def _number(v: Any) -> bool:
    return type(v) is float or (type(v) is int and abs(v) <= 2**53)


def _leaf(raw: Any) -> Leaf:
    import numpy as np

    if not isinstance(raw, dict):
        raise ValueError("leaf is not an object")
    shape, dtype, data = raw.get("shape"), raw.get("dtype"), raw.get("data")
    if not isinstance(shape, list) or len(shape) > 8 or not all(
        type(s) is int and 0 <= s <= MAX_ELEMENTS for s in shape
    ):
        raise ValueError("bad shape")
    if dtype not in _DTYPES or not isinstance(data, list):
        raise ValueError("bad dtype or data")
    if math.prod(shape) != len(data) or len(data) > MAX_ELEMENTS:
        raise ValueError("data does not match shape")
    if not all(_number(v) for v in data):
        raise ValueError("data holds non-numbers")
    values = np.array(data, dtype=np.float64).reshape(shape)
    return Leaf(values=values, dtype=dtype)


def _value(raw: Any, spec: Spec) -> Any:
    if spec == "leaf":
        return _leaf(raw)
    kind, inner = spec
    if not isinstance(raw, list):
        raise ValueError("expected a list")
    if kind == "tuple":
        if len(raw) != len(inner):
            raise ValueError("wrong arity")
        return tuple(_value(r, s) for r, s in zip(raw, inner, strict=True))
    return [_value(r, inner) for r in raw]


def _raised(raw: Any) -> Raised:
    if not isinstance(raw, dict):
        return Raised("Error", "the function failed")
    return Raised(
        type=_text(raw.get("type"), 100) or "Error",
        message=_text(raw.get("message")),
        traceback=_text(raw.get("traceback")),
        line=_bounded(raw.get("line"), 0, 10**7),
    )


def _outcome(raw: Any, spec: Spec) -> Outcome:
    if not isinstance(raw, dict):
        return Crashed("sent a malformed reply")
    if raw.get("missing") is True:
        return Missing()
    if "error" in raw:
        return _raised(raw["error"])
    try:
        return Returned(_value(raw.get("value"), spec))
    except (ValueError, TypeError, OverflowError, RecursionError):
        return Crashed("sent a malformed value")


def _names(reply: dict[str, Any]) -> LoadResult:
    """The names a loaded submission defines, from the worker's reply, checked and bounded."""
    names = reply.get("names")
    if isinstance(names, dict) and len(names) <= 100_000:
        return LoadResult(
            names={
                k: v
                for k, v in names.items()
                if isinstance(k, str) and k.isidentifier() and len(k) <= 200 and v in _KINDS
            }
        )
    return LoadResult(error={"type": "Crash", "message": "loading it gave a malformed reply"})


def _overran(seconds: float) -> str:
    return f"it ran longer than {seconds:g} s, the time limit per cell"


def _load_error(raw: Any) -> dict[str, Any]:
    """The load error a worker reported, with every field checked and bounded."""
    if not isinstance(raw, dict):
        return {"type": "Error", "message": "the submission could not be loaded"}
    text = _text(raw.get("text"), 500)
    return {
        "type": _text(raw.get("type"), 100) or "Error",
        "message": _text(raw.get("message")),
        "line": _bounded(raw.get("line"), 0, 10**7),
        "offset": _bounded(raw.get("offset"), 0, len(text) + 1),
        "text": text,
        "traceback": _text(raw.get("traceback")),
    }


# -- processes of a worker -----------------------------------------------------------------

_UID_FIRST = 1_600_000_000  # far above the ids of real users and of `nobody`
_UID_SPAN = 1 << 20
_claimed: set[int] = set()
_counter = itertools.count()


def _proc_pids() -> list[int]:
    try:
        return [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return []


def _process_facts(pid: int) -> tuple[str, int, tuple[int, ...]] | None:
    """(state, session, uids) of a process from /proc, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            after = stat.read().rsplit(b")", 1)[1].split()
        with open(f"/proc/{pid}/status") as status:
            uid_line = next(line for line in status if line.startswith("Uid:"))
    except (OSError, IndexError, StopIteration):
        return None
    return after[0].decode(), int(after[3]), tuple(int(u) for u in uid_line.split()[1:])


def _uids_in_use() -> set[int]:
    used: set[int] = set()
    for pid in _proc_pids():
        facts = _process_facts(pid)
        if facts is not None:
            used.update(facts[2])
    return used


def _uid_block() -> tuple[int, int] | None:
    """A block of uids this (maybe namespaced) root can switch to: (first, count)."""
    ranges: list[tuple[int, int]] = []
    try:
        with open("/proc/self/uid_map") as mapping:
            for line in mapping:
                inside, _, count = (int(x) for x in line.split())
                ranges.append((inside, count))
    except (OSError, ValueError):
        ranges = [(0, 2**32 - 1)]
    for inside, count in ranges:
        if inside <= _UID_FIRST and inside + count >= _UID_FIRST + _UID_SPAN:
            return _UID_FIRST, _UID_SPAN
    for inside, count in sorted(ranges, key=lambda r: -r[1]):
        first = max(inside, 100_000)
        if inside + count - first >= 4096:
            return first, min(_UID_SPAN, inside + count - first - 1)
    return None


def _choose_uid() -> int | None:
    """A uid (and gid) that no process and no account uses, or None when not root."""
    if os.geteuid() != 0:
        return None
    block = _uid_block()
    if block is None:
        return None
    import grp
    import pwd

    first, span = block
    used = _uids_in_use() | _claimed
    start = (os.getpid() * 7919 + next(_counter) * 104729) % span
    for i in range(min(span, 10_000)):
        uid = first + (start + i) % span
        if uid in used:
            continue
        try:
            pwd.getpwuid(uid)
            continue
        except KeyError:
            pass
        try:
            grp.getgrgid(uid)
            continue
        except KeyError:
            pass
        _claimed.add(uid)
        return uid
    return None


@functools.cache
def _grader_paths() -> list[str]:
    """Where matgrade's packages are, and its source checkout: hidden from the worker."""
    import importlib.util

    paths = []
    for name in ("grader", "reference", "exercises"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            paths.extend(spec.submodule_search_locations)
    root = Path(__file__).resolve().parents[2]  # grader/sandbox/process.py -> the checkout
    if (root / "pyproject.toml").is_file() and (root / "grader").is_dir():
        paths.append(str(root))  # a checkout: its examples and tests hold right answers
    return sorted({os.path.realpath(p) for p in paths})


def _kill_strays(uid: int | None, session: int) -> None:
    """SIGKILL every live process of the private `uid` or of the worker's `session`.

    Each target is opened as a pidfd and checked again before the signal, so a pid that
    was reused meanwhile is never hit.  Repeats until none is left (a fork bomb refills).
    """

    def ours(pid: int) -> bool:
        facts = _process_facts(pid)
        if facts is None or facts[0] == "Z":
            return False
        _, sid, uids = facts
        return (uid is not None and uids[0] == uid) or (sid == session and pid != session)

    me = os.getpid()
    for _ in range(200):
        strays = [p for p in _proc_pids() if p != me and ours(p)]
        if not strays:
            return
        for pid in strays:
            try:
                handle = os.pidfd_open(pid)
            except OSError:
                continue
            try:
                if ours(pid):  # still the same process: the pidfd pins it
                    signal.pidfd_send_signal(handle, signal.SIGKILL)
            except OSError:
                pass
            finally:
                os.close(handle)
        time.sleep(0.005)


def _exit_status(process: subprocess.Popen[bytes], seconds: float) -> tuple[bool, int] | None:
    """(killed by a signal?, signal or exit code) of a dead worker, without reaping it.

    The worker stays a zombie, so its pid (and process group) cannot be reused before
    `Sandbox.kill` has searched for what it left behind.  (Where os.waitid is missing, as
    on macOS, it is reaped: there is no /proc to search there anyway.)
    """
    if not hasattr(os, "waitid"):
        try:
            code = process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return None
        return code < 0, abs(code)
    deadline = time.monotonic() + seconds
    while True:
        try:
            info = os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG)
        except ChildProcessError:
            return None
        if info is not None:
            return info.si_code != os.CLD_EXITED, info.si_status
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.005)


_SIGNALS = {
    signal.SIGSEGV: "crashed (segmentation fault, signal SIGSEGV)",
    signal.SIGBUS: "crashed (bus error, signal SIGBUS)",
    signal.SIGABRT: "crashed (aborted, signal SIGABRT)",
    signal.SIGKILL: "was killed (signal SIGKILL: out of memory, or a resource limit?)",
    signal.SIGXCPU: "used up its CPU time (signal SIGXCPU)",
    signal.SIGXFSZ: "wrote a file larger than the limit (signal SIGXFSZ)",
}


class Sandbox:
    """One worker process for one submission; restarted after a crash or a timeout.

    Use as a context manager.  `load` must succeed before `call`.  `isolation` says what
    confines the worker once it has started (after `load`).  `student_seconds` is the time
    spent in `call` waiting for the worker's answers, by `clock`: the student's functions at
    work, which an exercise's time limit counts (grader/checking/checker.py); a test gives a fake clock.
    """

    def __init__(
        self,
        source: str,
        filename: str,
        limits: Limits | None = None,
        *,
        cells: Sequence[Cell] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self.filename = filename
        self.limits = limits or Limits()
        self.cells = tuple(cells)  # a notebook: run cell by cell instead of `source`
        # Cells that killed a worker or overran their time: never run again, failed as before.
        self._left_out: dict[int, Raised] = {}
        self.isolation: Isolation | None = None
        self.restarts = 0
        self.clock = clock
        self.student_seconds = 0.0
        self._process: subprocess.Popen[bytes] | None = None
        self._to_worker = -1
        self._from_worker = -1
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._uid: int | None = None
        self._seq = 0
        self._hello_due = 0.0
        self._greeted = False
        self._deadline: float | None = None
        self._broken: str | None = None
        self._formulas: dict[str, list[str]] = {}

    # -- process management -------------------------------------------------------------

    def start(self) -> None:
        """Start the worker process (it imports numpy while the grader gets ready)."""
        if self._process is not None:
            return
        if self._deadline is None:
            self._deadline = time.monotonic() + self.limits.submission_seconds
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="matgrade-")
            self._uid = _choose_uid()
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        config = {
            "memory": self.limits.memory_mb * 1024 * 1024,
            "file_bytes": self.limits.file_mb * 1024 * 1024,
            "processes": self.limits.processes,
            "cpu_seconds": math.ceil(self.limits.submission_seconds + self.limits.start_seconds),
            "uid": self._uid,
            "scratch": self._scratch.name,
            "hide": _grader_paths(),
        }
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self._scratch.name,
            "TMPDIR": self._scratch.name,
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if key in os.environ:
                env[key] = os.environ[key]
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-B", str(WORKER), str(request_r), str(reply_w), json.dumps(config)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(request_r, reply_w),
                cwd=self._scratch.name,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            raise SandboxError(f"cannot start the worker process: {exc}") from exc
        finally:
            os.close(request_r)
            os.close(reply_w)
        self._to_worker, self._from_worker = request_w, reply_r
        self._hello_due = time.monotonic() + self.limits.start_seconds
        self._greeted = False

    def kill(self) -> None:
        """Kill the worker and everything it started; close the pipes."""
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                process.kill()  # not reaped yet, so the pid is still the worker's
            # Hold the dead worker unreaped (its pid cannot be reused) while its session and
            # its uid are searched for processes that escaped the process group.
            _exit_status(process, 5.0)
            _kill_strays(self._uid, process.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5.0)
        for fd in (self._to_worker, self._from_worker):
            if fd >= 0:
                os.close(fd)
        self._to_worker = self._from_worker = -1

    def close(self) -> None:
        """Stop the worker and remove its scratch directory."""
        self.kill()
        if self._uid is not None:
            _kill_strays(self._uid, -1)
            _claimed.discard(self._uid)
        if self._scratch is not None:
            with contextlib.suppress(OSError):
                self._scratch.cleanup()
            self._scratch = None

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- messages -----------------------------------------------------------------------

    def _used_up(self) -> str:
        return f"was stopped: the submission used up its time limit of {self.limits.submission_seconds:g} s"

    def _time_left(self) -> float:
        return math.inf if self._deadline is None else self._deadline - time.monotonic()

    def _receive(self, deadline: float, timeout: str) -> Any:
        size = int.from_bytes(self._read(4, deadline, timeout), "big")
        if size > MAX_REPLY:
            raise _WorkerGone("sent an oversized reply")
        body = self._read(size, deadline, timeout)
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _WorkerGone("sent a malformed reply") from None

    def _exchange(self, message: dict[str, Any], seconds: float, timeout: str) -> dict[str, Any]:
        if self._process is None:
            raise _WorkerGone("could not be run: the worker is not running")
        self._seq += 1
        data = json.dumps({**message, "seq": self._seq}).encode("utf-8")
        deadline = time.monotonic() + seconds
        try:
            self._write(len(data).to_bytes(4, "big") + data, deadline, timeout)
            reply = self._receive(deadline, timeout)
            for _ in range(100):
                # A well-framed reply to an earlier request is stale: the student's code wrote
                # an answer of its own into the pipe before the worker's.  Skip it.
                seq = reply.get("seq") if isinstance(reply, dict) else None
                if not (type(seq) is int and 0 < seq < self._seq):
                    break
                reply = self._receive(deadline, timeout)
            if not isinstance(reply, dict) or reply.get("seq") != self._seq:
                # Something else wrote into the pipe: the student's code, or a process it left.
                raise _WorkerGone("sent a malformed reply (did the code write into the grader's pipe?)")
        except _WorkerGone:
            self.kill()
            raise
        return reply

    def _write(self, data: bytes, deadline: float, timeout: str) -> None:
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _WorkerGone(timeout)
            _, ready, _ = select.select([], [self._to_worker], [], remaining)
            if not ready:
                continue
            try:
                written = os.write(self._to_worker, view[: 1 << 16])
            except OSError:
                raise _WorkerGone(self._why_gone()) from None
            view = view[written:]

    def _read(self, size: int, deadline: float, timeout: str) -> bytes:
        chunks: list[bytes] = []
        while size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _WorkerGone(timeout)
            ready, _, _ = select.select([self._from_worker], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._from_worker, min(size, 1 << 20))
            if not chunk:
                raise _WorkerGone(self._why_gone())
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _why_gone(self) -> str:
        process = self._process
        status = None if process is None else _exit_status(process, 1.0)
        if status is None:
            return "stopped answering"
        killed, code = status
        if killed:
            if code in _SIGNALS:
                return _SIGNALS[signal.Signals(code)]
            name = signal.Signals(code).name if code in signal.Signals._value2member_map_ else code
            return f"crashed with signal {name}"
        return f"ended the worker process (exit code {code}); a function must return, not exit"

    def _greet(self) -> None:
        """Read the worker's first message: it started, and this is how it is confined."""
        if self._greeted:
            return
        seconds = self._hello_due - time.monotonic()
        try:
            hello = self._receive(time.monotonic() + max(seconds, 0.0), "did not start in time")
            if not isinstance(hello, dict) or hello.get("hello") is not True or hello.get("seq") != 0:
                raise _WorkerGone("sent a malformed greeting")
        except _WorkerGone as gone:
            self.kill()
            raise SandboxError(
                f"the worker process {gone.reason} (before any student code ran); "
                "check that numpy imports in this Python"
            ) from None
        raw = hello.get("isolation")
        raw = raw if isinstance(raw, dict) else {}
        notes = raw.get("notes")
        self.isolation = Isolation(
            user=raw.get("user") is True,
            network=raw.get("network") is True,
            filesystem=raw.get("filesystem") is True,
            notes=tuple(_text(n, 400) for n in notes[:20]) if isinstance(notes, list) else (),
        )
        self._greeted = True

    # -- the API ------------------------------------------------------------------------

    def load(self) -> LoadResult:
        """Start the worker if needed and run the submission's top level in it.

        Raises SandboxError when the worker cannot start at all (before any student code).
        """
        with phase("worker start"):
            self.start()
            self._greet()
        if self.cells:
            return self._load_cells()
        seconds = min(self.limits.load_seconds, self._time_left())
        if seconds < self.limits.load_seconds:
            timeout = self._used_up()
        else:
            timeout = f"took longer than {self.limits.load_seconds:g} s"
        message = {"op": "load", "source": self.source, "filename": self.filename}
        try:
            with phase("worker start"):
                reply = self._exchange(message, max(seconds, 0.0), timeout)
        except _WorkerGone as gone:
            return LoadResult(error={"type": "Crash", "message": f"loading it {gone.reason}"})
        if reply.get("ok") is True:
            return _names(reply)
        return LoadResult(error=_load_error(reply.get("error")))

    def _load_cells(self) -> LoadResult:
        """Run the notebook's cells in order; again without a cell that killed the worker."""
        while True:
            failures = self._run_cells()
            if isinstance(failures, LoadResult):
                return failures
            if failures is None:  # a cell killed the worker: a fresh one runs the rest again
                self.start()
                self._greet()
                continue
            seconds = max(min(self.limits.load_seconds, self._time_left()), 0.0)
            try:
                reply = self._exchange({"op": "names"}, seconds, "stopped answering")
            except _WorkerGone as gone:
                return LoadResult(error={"type": "Crash", "message": f"loading it {gone.reason}"})
            loaded = _names(reply if reply.get("ok") is True else {})
            return LoadResult(names=loaded.names, error=loaded.error, cells=tuple(failures))

    def _run_cells(self) -> list[CellFailure] | LoadResult | None:
        """The failed cells of one run through the notebook; None when a cell killed the worker.

        A LoadResult with an error when the whole notebook must be given up.
        """
        limit = self.limits.cell_seconds
        failures: list[CellFailure] = []
        for cell in self.cells:
            if cell.number in self._left_out:
                failures.append(CellFailure(cell.number, self._left_out[cell.number]))
                continue
            if not cell.source.strip():
                continue
            wait = limit + CELL_GRACE
            seconds = min(wait, self._time_left())
            used_up = self._used_up()
            if seconds <= 0:
                return LoadResult(error={"type": "Crash", "message": f"loading it {used_up}"})
            timeout = used_up if seconds < wait else "timed out"
            message = {"op": "cell", "filename": cell.filename, "source": cell.source, "seconds": limit}
            try:
                reply = self._exchange(message, seconds, timeout)
            except _WorkerGone as gone:
                if gone.reason == used_up:
                    return LoadResult(error={"type": "Crash", "message": f"loading it {used_up}"})
                timed_out = gone.reason == "timed out"
                self._left_out[cell.number] = (
                    Raised("Timeout", _overran(limit)) if timed_out else Raised("Crash", gone.reason)
                )
                if sum(e.type == "Crash" for e in self._left_out.values()) > MAX_FATAL_CELLS:
                    given_up = f"was given up: more than {MAX_FATAL_CELLS} of its cells stopped the worker"
                    return LoadResult(error={"type": "Crash", "message": given_up})
                return None
            if reply.get("ok") is not True:
                error = _raised(reply.get("error"))
                if error.type == "Timeout":
                    error = Raised("Timeout", _overran(limit))
                    self._left_out[cell.number] = error  # a rerun would only wait again
                failures.append(CellFailure(cell.number, error))
        return failures

    def restart(self) -> bool:
        """Replace a dead or stuck worker with a fresh one; True when it loaded again."""
        self.kill()
        self.restarts += 1
        try:
            loaded = self.load()
        except SandboxError as exc:
            self._broken = f"could not be run: {exc}"
            return False
        if loaded.error is not None:
            self.kill()
            self._broken = "could not be run: loading the submission again failed"
            return False
        return True

    def call(self, name: str, spec: Spec, batch: list[tuple[Any, ...]]) -> list[Outcome]:
        """Call `name` on every argument tuple of `batch`; one Outcome per tuple.

        On a timeout or a crash every call of the batch is `Crashed`, and a fresh worker is
        started (and loaded) when something is called next.
        """
        if not batch:
            return []
        if self._process is None and self._broken is None:
            self.restart()  # after a crash, only when something is called again
        if self._broken is not None:
            return [Crashed(self._broken)] * len(batch)
        per_call = self.limits.call_seconds * len(batch)
        seconds = min(per_call, self._time_left())
        used_up = self._used_up()
        if seconds <= 0:
            self.kill()
            self._broken = used_up
            return [Crashed(used_up)] * len(batch)
        timeout = (
            used_up
            if seconds < per_call
            else f"timed out (the limit is {self.limits.call_seconds:g} s per call)"
        )
        message = {
            "op": "call",
            "name": name,
            "spec": spec,
            "batch": [[_encode(a) for a in args] for args in batch],
        }
        if name in self._formulas:
            message["formula"] = self._formulas[name]
        began = self.clock()
        try:
            with phase("student calls"):
                reply = self._exchange(message, seconds, timeout)
        except _WorkerGone as gone:  # the worker is dead; the next call starts a fresh one
            if gone.reason == used_up:
                self._broken = used_up
            return [Crashed(gone.reason)] * len(batch)
        finally:
            self.student_seconds += self.clock() - began
        results = reply.get("results")
        if not isinstance(results, list) or len(results) != len(batch):
            self.kill()
            return [Crashed("sent a malformed reply")] * len(batch)
        with phase("student calls"):
            return [_outcome(raw, spec) for raw in results]

    def _request(self, message: dict[str, Any], seconds: float) -> dict[str, Any] | str:
        """One request other than a call: the reply, or why the worker gave none."""
        if self._process is None and self._broken is None:
            self.restart()
        if self._broken is not None:
            return f"the worker {self._broken}"
        seconds = min(seconds, self._time_left())
        if seconds <= 0:
            return f"the worker {self._used_up()}"
        try:
            return self._exchange(message, seconds, f"took longer than {seconds:g} s")
        except _WorkerGone as gone:
            return f"the worker {gone.reason}"

    def formula(self, name: str, variables: list[str]) -> str | None:
        """Read the formula answer `name` in the worker: None when it is accepted, else why not.

        Once accepted, `call(name, ...)` evaluates the formula at the arguments, which come in
        the order of `variables`.
        """
        message = {"op": "formula", "name": name, "variables": list(variables)}
        reply = self._request(message, self.limits.call_seconds)
        if isinstance(reply, str):
            return f"the formula could not be read: {reply}"
        if reply.get("ok") is True:
            self._formulas[name] = list(variables)
            return None
        return _text(reply.get("message"), 1000) or "the formula cannot be read"

    def symbolic(self, name: str, reference: Any, seconds: float) -> Symbolic:
        """Ask the worker whether the formula answer `name` simplifies to `reference`.

        `reference` is the reference formula as text in the grammar of `worker/grammar.py`: a string
        or nested lists of strings.  The verdict comes from the untrusted worker.
        """
        variables = self._formulas.get(name)
        if variables is None:
            return Symbolic(equal=None, reason="the formula was not read")
        message = {
            "op": "symbolic",
            "name": name,
            "variables": variables,
            "reference": reference,
            "seconds": seconds,
        }
        # sympy is imported on the first request: allow for that beyond sympy's own limit.
        reply = self._request(message, seconds + self.limits.load_seconds)
        if isinstance(reply, str):
            return Symbolic(equal=None, reason=f"sympy did not answer: {reply}")
        equal = reply.get("equal")
        raw = reply.get("differences")
        differences: list[tuple[int, str, bool]] = []
        for item in raw[:8] if isinstance(raw, list) else []:
            if isinstance(item, list) and len(item) == 3:
                index = _bounded(item[0], 0, 10_000)
                if index is not None:
                    differences.append((index, _text(item[1], 300), item[2] is True))
        return Symbolic(
            equal=equal if isinstance(equal, bool) else None,
            reason=_text(reply.get("reason"), 300),
            differences=tuple(differences),
        )
