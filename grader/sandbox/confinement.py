"""The worker's confinement as the grader arranges it: a private uid, and /proc to find its processes.

- When the grader runs as root, each worker gets a private uid that no process and no
  account has (`choose_uid`), so that its processes can be counted (RLIMIT_NPROC) and found
  again to be killed, and it can neither signal nor read the grader.  Not root: None, and
  the worker says in its greeting what is missing (`Isolation.notes`).
- `grader_paths` are matgrade's packages and its checkout, which the worker covers up in its
  private file system (worker/confine.py does the namespaces and mounts itself).
- `kill_strays` finds every process of a worker's uid or session in /proc and kills it
  through a pidfd, so a reused pid is never hit.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import signal
import time
from pathlib import Path

__all__ = ["choose_uid", "grader_paths", "kill_strays", "not_dumpable", "release_uid"]

_UID_FIRST = 1_600_000_000  # far above the ids of real users and of `nobody`
_UID_SPAN = 1 << 20
_PR_SET_DUMPABLE = 4
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


def choose_uid() -> int | None:
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
def grader_paths() -> list[str]:
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
    root = Path(__file__).resolve().parents[2]  # grader/sandbox/confinement.py -> the checkout
    if (root / "pyproject.toml").is_file() and (root / "grader").is_dir():
        paths.append(str(root))  # a checkout: its examples and tests hold right answers
    return sorted({os.path.realpath(p) for p in paths})


def kill_strays(uid: int | None, session: int) -> None:
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

    if uid is not None:
        _kill_as(uid)
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


def _kill_as(uid: int) -> None:
    """SIGKILL every process of `uid` at once: a child of the grader becomes `uid` and calls kill(-1).

    The kernel signals every process of that uid in one pass, so a chain of forks cannot hop
    ahead of it as it can ahead of a /proc scan, and a process with SIGKILL pending cannot fork.
    Only root can become `uid`; elsewhere nothing is done here.
    """
    if os.geteuid() != 0:
        return
    try:
        child = os.fork()
    except OSError:
        return
    if child == 0:  # pragma: no cover - runs in the forked child, which only calls the kernel
        code = 0
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            for _ in range(100):
                os.kill(-1, signal.SIGKILL)  # every process of uid but this one
                # kill(-1) fails with ESRCH only when no other process at all exists, so
                # look: once no live process of uid is left, none can fork again.
                if not _alive_as(uid):
                    break
                time.sleep(0.001)
        except ProcessLookupError:
            pass  # none left
        except BaseException:
            code = 1
        os._exit(code)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(child, 0)


def _alive_as(uid: int) -> bool:
    """Whether a process of `uid` other than this one is alive (zombies are not: they cannot fork).

    True when /proc cannot be read: then nobody can tell, and the caller keeps killing.
    """
    me = os.getpid()
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return True
    for pid in pids:
        if pid == me:
            continue
        facts = _process_facts(pid)
        if facts is not None and facts[0] not in ("Z", "X") and facts[2][0] == uid:
            return True
    return False


def release_uid(uid: int) -> None:
    """Kill whatever still runs as the private `uid`, and let a later worker have it."""
    kill_strays(uid, -1)
    _claimed.discard(uid)


@functools.cache
def not_dumpable() -> bool:
    """Make the grader's process not dumpable, once: whether that holds.

    A process of the same uid (a worker where no private uid can be had) can then neither
    ptrace the grader nor read its memory or environment through /proc.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False  # not Linux
