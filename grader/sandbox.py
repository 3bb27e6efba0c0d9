"""The sandbox: a worker process that runs student code, and the grader's side of its pipes.

Invariants:
- Student code never runs in the grader's process.  The worker (`_worker.py`, run as a
  script in isolated mode) gets the inputs as plain numbers and answers with plain numbers.
- Nothing from the worker is unpickled or trusted: replies are size-capped JSON, validated
  here field by field; anything malformed is a crash of the worker, never of the grader.
- Every wait on the worker has a deadline; on a timeout or a crash the worker is killed
  (its whole process group) and a fresh one is started and loaded for the next exercise.
"""

from __future__ import annotations

import json
import math
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.errors import SandboxError

__all__ = [
    "Crashed",
    "Leaf",
    "Limits",
    "LoadResult",
    "Missing",
    "Raised",
    "Returned",
    "Sandbox",
    "Spec",
]

WORKER = Path(__file__).with_name("_worker.py")
MAX_REPLY = 64 * 1024 * 1024
_DTYPES = frozenset({"float16", "float32", "float64", "float128", "longdouble"})

Spec = Any  # "leaf" | ("tuple", [Spec, ...]) | ("list", Spec)


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits of the worker; every one has an option in the CLI."""

    call_seconds: float = 2.0
    exercise_seconds: float = 20.0
    memory_mb: int = 1024
    start_seconds: float = 20.0


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
    """The worker died or timed out during the call; it has been restarted."""

    reason: str


Outcome = Returned | Raised | Missing | Crashed


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading the submission gave: the names it defines, or the error that stopped it."""

    names: dict[str, str] = field(default_factory=dict)
    error: dict[str, Any] | None = None


class _WorkerGone(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


def _leaf(raw: Any) -> Leaf:
    import numpy as np

    if not isinstance(raw, dict):
        raise ValueError("leaf is not an object")
    shape, dtype, data = raw.get("shape"), raw.get("dtype"), raw.get("data")
    if not isinstance(shape, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape
    ):
        raise ValueError("bad shape")
    if dtype not in _DTYPES or not isinstance(data, list):
        raise ValueError("bad dtype or data")
    if math.prod(shape) != len(data) or len(shape) > 8:
        raise ValueError("data does not match shape")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in data):
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


def _text(raw: Any, limit: int = 4000) -> str:
    return raw[:limit] if isinstance(raw, str) else ""


def _raised(raw: Any) -> Raised:
    if not isinstance(raw, dict):
        return Raised("Error", "the function failed")
    line = raw.get("line")
    return Raised(
        type=_text(raw.get("type"), 100) or "Error",
        message=_text(raw.get("message")),
        traceback=_text(raw.get("traceback")),
        line=line if isinstance(line, int) and not isinstance(line, bool) else None,
    )


def _outcome(raw: Any, spec: Spec) -> Outcome:
    if not isinstance(raw, dict):
        return Crashed("the worker sent a malformed reply")
    if raw.get("missing") is True:
        return Missing()
    if "error" in raw:
        return _raised(raw["error"])
    try:
        return Returned(_value(raw.get("value"), spec))
    except (ValueError, TypeError):
        return Crashed("the worker sent a malformed value")


class Sandbox:
    """One worker process for one submission; restarted after a crash or a timeout.

    Use as a context manager.  `load` must succeed before `call`.
    """

    def __init__(self, source: str, filename: str, limits: Limits | None = None) -> None:
        self.source = source
        self.filename = filename
        self.limits = limits or Limits()
        self._process: subprocess.Popen[bytes] | None = None
        self._to_worker = -1
        self._from_worker = -1
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self.restarts = 0

    # -- process management -------------------------------------------------------------

    def start(self) -> None:
        """Start the worker process (it imports numpy while the grader gets ready)."""
        if self._process is not None:
            return
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="matgrade-")
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        memory = self.limits.memory_mb * 1024 * 1024

        def limit() -> None:  # runs in the child before exec
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self._scratch.name,
            "TMPDIR": self._scratch.name,
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if key in os.environ:
                env[key] = os.environ[key]
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", str(WORKER), str(request_r), str(reply_w)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(request_r, reply_w),
                cwd=self._scratch.name,
                env=env,
                preexec_fn=limit,
                start_new_session=True,
            )
        except OSError as exc:
            raise SandboxError(f"cannot start the worker process: {exc}") from exc
        finally:
            os.close(request_r)
            os.close(reply_w)
        self._to_worker, self._from_worker = request_w, reply_r

    def kill(self) -> None:
        """Kill the worker and everything it started; close the pipes."""
        process, self._process = self._process, None
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()
        for fd in (self._to_worker, self._from_worker):
            if fd >= 0:
                os.close(fd)
        self._to_worker = self._from_worker = -1

    def close(self) -> None:
        """Stop the worker and remove its scratch directory."""
        self.kill()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- messages -----------------------------------------------------------------------

    def _exchange(self, message: dict[str, Any], seconds: float) -> Any:
        if self._process is None:
            raise _WorkerGone("the worker is not running")
        data = json.dumps(message).encode("utf-8")
        deadline = time.monotonic() + seconds
        try:
            self._write(len(data).to_bytes(4, "big") + data, deadline)
            size = int.from_bytes(self._read(4, deadline), "big")
            if size > MAX_REPLY:
                raise _WorkerGone("the worker sent an oversized reply")
            body = self._read(size, deadline)
        except _WorkerGone:
            self.kill()
            raise
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            self.kill()
            raise _WorkerGone("the worker sent a malformed reply") from None

    def _write(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _WorkerGone(self._why_gone(timeout=True))
            _, ready, _ = select.select([], [self._to_worker], [], remaining)
            if not ready:
                continue
            try:
                written = os.write(self._to_worker, view[: 1 << 16])
            except (BrokenPipeError, OSError):
                raise _WorkerGone(self._why_gone(timeout=False)) from None
            view = view[written:]

    def _read(self, size: int, deadline: float) -> bytes:
        chunks: list[bytes] = []
        while size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _WorkerGone(self._why_gone(timeout=True))
            ready, _, _ = select.select([self._from_worker], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._from_worker, min(size, 1 << 20))
            if not chunk:
                raise _WorkerGone(self._why_gone(timeout=False))
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _why_gone(self, *, timeout: bool) -> str:
        if timeout:
            return "timed out"
        process = self._process
        code = None
        if process is not None:
            try:
                code = process.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                code = None
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else ""
            if -code == signal.SIGKILL:
                return "was killed (out of memory or a resource limit?)"
            return f"crashed with signal {name or -code}"
        if code is not None:
            return f"ended the worker process (exit code {code})"
        return "stopped answering"

    # -- the API ------------------------------------------------------------------------

    def load(self) -> LoadResult:
        """Start the worker if needed and run the submission's top level in it."""
        self.start()
        message = {"op": "load", "source": self.source, "filename": self.filename}
        try:
            reply = self._exchange(message, self.limits.start_seconds)
        except _WorkerGone as gone:
            return LoadResult(error={"type": "Crash", "message": f"loading it {gone.reason}"})
        if not isinstance(reply, dict):
            return LoadResult(error={"type": "Crash", "message": "the worker sent a bad reply"})
        if reply.get("ok") is True:
            names = reply.get("names")
            if isinstance(names, dict):
                return LoadResult(
                    names={str(k): str(v) for k, v in names.items() if isinstance(k, str)}
                )
        error = reply.get("error")
        return LoadResult(error=error if isinstance(error, dict) else {"message": "load failed"})

    def restart(self) -> bool:
        """Replace a dead or stuck worker with a fresh one; True when it loaded again."""
        self.kill()
        self.restarts += 1
        return self.load().error is None

    def call(self, name: str, spec: Spec, batch: list[tuple[Any, ...]]) -> list[Outcome]:
        """Call `name` on every argument tuple of `batch`; one Outcome per tuple.

        On a timeout or a crash every call of the batch is `Crashed`, and the worker is
        restarted for whatever comes next.
        """
        message = {
            "op": "call",
            "name": name,
            "spec": spec,
            "batch": [[_encode(a) for a in args] for args in batch],
        }
        seconds = self.limits.call_seconds * max(1, len(batch))
        try:
            reply = self._exchange(message, seconds)
        except _WorkerGone as gone:
            self.restart()
            return [Crashed(gone.reason)] * len(batch)
        results = reply.get("results") if isinstance(reply, dict) else None
        if not isinstance(results, list) or len(results) != len(batch):
            self.restart()
            return [Crashed("the worker sent a malformed reply")] * len(batch)
        return [_outcome(raw, spec) for raw in results]
