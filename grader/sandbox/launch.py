"""Starting a worker process, and saying in words why one ended.

`spawn` runs `python -I -B worker/main.py FD_IN FD_OUT CONFIG` in a new session, with no
inherited file but its two pipes and the pipe its output goes to, a minimal environment
(BLAS on one thread) and a scratch directory as its home and working directory; CONFIG
carries its limits, its private uid and the paths it must hide (confinement.py), and the
worker confines itself from there.
`exit_status` reads how a worker ended without reaping it, so that its pid cannot be reused
before what it left behind has been killed.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from grader.errors import SandboxError
from grader.sandbox.confinement import grader_paths, kill_strays
from grader.sandbox.records import Limits

__all__ = ["WORKER", "exit_status", "spawn", "stop", "why_gone"]

WORKER = Path(__file__).with_name("worker") / "main.py"

_SIGNALS = {
    signal.SIGSEGV: "crashed (segmentation fault, signal SIGSEGV)",
    signal.SIGBUS: "crashed (bus error, signal SIGBUS)",
    signal.SIGABRT: "crashed (aborted, signal SIGABRT)",
    signal.SIGKILL: "was killed (signal SIGKILL: out of memory, or a resource limit?)",
    signal.SIGXCPU: "used up its CPU time (signal SIGXCPU)",
    signal.SIGXFSZ: "wrote a file larger than the limit (signal SIGXFSZ)",
}


def _environment(home: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "TMPDIR": home,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if key in os.environ:
            env[key] = os.environ[key]
    return env


def spawn(
    limits: Limits, scratch: str, uid: int | None, output: int | None = None
) -> tuple[subprocess.Popen[bytes], int, int]:
    """Start a worker: (its process, the pipe to it, the pipe from it).

    `output`, when given, is the write end of the pipe its stdout and stderr go to (capture.py).

    Raises SandboxError when the process cannot be started at all.
    """
    request_r, request_w = os.pipe()
    reply_r, reply_w = os.pipe()
    config = {
        "memory": limits.memory_mb * 1024 * 1024,
        "file_bytes": limits.file_mb * 1024 * 1024,
        "processes": limits.processes,
        "cpu_seconds": math.ceil(limits.submission_seconds + limits.start_seconds),
        "uid": uid,
        "scratch": scratch,
        "hide": grader_paths(),
        "output": output,
    }
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-B", str(WORKER), str(request_r), str(reply_w), json.dumps(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(request_r, reply_w) if output is None else (request_r, reply_w, output),
            cwd=scratch,
            env=_environment(scratch),
            start_new_session=True,
        )
    except OSError as exc:
        raise SandboxError(f"cannot start the worker process: {exc}") from exc
    finally:
        os.close(request_r)
        os.close(reply_w)
    return process, request_w, reply_r


def exit_status(process: subprocess.Popen[bytes], seconds: float) -> tuple[bool, int] | None:
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



def why_gone(process: subprocess.Popen[bytes]) -> str:
    """Why the worker stopped answering, in words: its signal, its exit code, or a hang."""
    status = exit_status(process, 1.0)
    if status is None:
        return "stopped answering"
    killed, code = status
    if killed:
        if code in _SIGNALS:
            return _SIGNALS[signal.Signals(code)]
        name = signal.Signals(code).name if code in signal.Signals._value2member_map_ else code
        return f"crashed with signal {name}"
    return f"ended the worker process (exit code {code}); a function must return, not exit"


def stop(process: subprocess.Popen[bytes], uid: int | None) -> None:
    """Kill a worker and everything it started: its process group, its session, its uid."""
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()  # not reaped yet, so the pid is still the worker's
    # Hold the dead worker unreaped (its pid cannot be reused) while its session and its uid
    # are searched for processes that escaped the process group.
    exit_status(process, 5.0)
    kill_strays(uid, process.pid)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5.0)
