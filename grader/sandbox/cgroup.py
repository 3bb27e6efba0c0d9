"""A control group per worker, where this machine lets the grader make one.

A cgroup bounds what per-process limits cannot: the memory of the worker's whole process tree,
shared memory and tmpfs pages included (`memory.max`; v1: `memory.limit_in_bytes` and
`memory.memsw.limit_in_bytes`), and its number of tasks (`pids.max`); and it ends the whole tree
at once (`cgroup.kill`; v1: freeze, SIGKILL every member, thaw).

Two layouts are used, whichever is writable:
- the unified hierarchy (cgroup v2) at /sys/fs/cgroup, where the grader's own cgroup hands the
  memory and pids controllers down to its children (systemd delegation, a container with its
  own cgroup namespace);
- the v1 hierarchies `memory`, `pids` and `freezer` under /sys/fs/cgroup, each below the
  grader's own group in it.
Elsewhere `Cgroup.create` gives None and the per-process limits, the private uid and the
seccomp filter bound the worker (docs/security.md, "Layers").  Student code cannot leave its
group: the group's files belong to root, and the worker is not root.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time
from dataclasses import replace
from pathlib import Path

from grader.sandbox.records import Limits

__all__ = ["ROOT", "UNBOUNDED_TASKS", "Cgroup", "tasks_allowed"]

ROOT = Path("/sys/fs/cgroup")
_counter = itertools.count()
# Tasks (processes and threads) a worker may have where no cgroup bounds its tree's memory:
# each process may hold `memory_mb`, so the tree could hold this many times that.
UNBOUNDED_TASKS = 8


def _own_paths() -> dict[str, str]:
    """The grader's cgroup in each hierarchy, by controller ("" for the unified one)."""
    paths: dict[str, str] = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return paths
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        for controller in parts[1].split(",") if parts[1] else [""]:
            paths[controller] = parts[2]
    return paths


def _write(path: Path, value: str) -> bool:
    try:
        path.write_text(value)
    except OSError:
        return False
    return True


def _members(group: Path) -> list[int]:
    try:
        return [int(p) for p in (group / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


class Cgroup:
    """The cgroup(s) of one worker: `memory`, `pids` and `kill` say which bounds hold."""

    def __init__(self, groups: dict[str, Path], unified: bool) -> None:
        self.groups = groups  # controller ("unified" for v2) -> its directory
        self.unified = unified
        self.memory = False
        self.pids = False

    @property
    def name(self) -> str:
        return next(iter(self.groups.values())).name

    @property
    def kill_at_once(self) -> bool:
        return self.unified or "freezer" in self.groups

    def describe(self) -> str:
        """What this group bounds, in words for `grade doctor` and the report."""
        kind = "v2" if self.unified else "v1"
        bounds = [name for name, held in (("memory", self.memory), ("tasks", self.pids)) if held]
        if self.kill_at_once:
            bounds.append("killed at once")
        return f"{kind}: {', '.join(bounds)}"

    @classmethod
    def create(cls, memory_bytes: int, processes: int) -> Cgroup | None:
        """A new cgroup bounding `memory_bytes` and `processes`, or None where none can be made."""
        if os.geteuid() != 0 and not os.access(ROOT, os.W_OK):
            own = _own_paths().get("")
            if own is None or not os.access(ROOT / own.lstrip("/"), os.W_OK):
                return None
        name = f"matgrade-{os.getpid()}-{next(_counter)}"
        group = cls._unified(name) or cls._split(name)
        if group is None:
            return None
        group._limit(memory_bytes, processes)
        if not (group.memory or group.pids):
            group.remove()
            return None
        return group

    @classmethod
    def _unified(cls, name: str) -> Cgroup | None:
        own = _own_paths().get("")
        if own is None or not (ROOT / "cgroup.controllers").is_file():
            return None
        base = ROOT / own.lstrip("/")
        try:
            enabled = (base / "cgroup.subtree_control").read_text().split()
        except OSError:
            return None
        wanted = [c for c in ("memory", "pids") if c not in enabled]
        if wanted:
            _write(base / "cgroup.subtree_control", " ".join(f"+{c}" for c in wanted))
        try:
            (base / name).mkdir()
        except OSError:
            return None
        return cls({"unified": base / name}, unified=True)

    @classmethod
    def _split(cls, name: str) -> Cgroup | None:
        own = _own_paths()
        groups: dict[str, Path] = {}
        for controller in ("memory", "pids", "freezer"):
            if controller not in own or not (ROOT / controller / "cgroup.procs").is_file():
                continue
            path = ROOT / controller / own[controller].lstrip("/") / name
            with contextlib.suppress(OSError):
                path.mkdir()
                groups[controller] = path
        if not groups:
            return None
        return cls(groups, unified=False)

    @classmethod
    def all_ours(cls) -> list[Cgroup]:
        """Every group of matgrade's below the grader's own groups, whoever made it."""
        return cls._named("matgrade-")

    @classmethod
    def left_by(cls, pid: int) -> list[Cgroup]:
        """The groups the grading process `pid` made and did not remove (it was killed)."""
        return cls._named(f"matgrade-{pid}-")

    @classmethod
    def _named(cls, prefix: str) -> list[Cgroup]:
        own = _own_paths()
        found: dict[str, dict[str, Path]] = {}
        bases = (
            [("unified", ROOT / own[""].lstrip("/"))]
            if "" in own and (ROOT / "cgroup.controllers").is_file()
            else []
        )
        bases += [(c, ROOT / c / own[c].lstrip("/")) for c in ("memory", "pids", "freezer") if c in own]
        for controller, base in bases:
            with contextlib.suppress(OSError):
                for entry in base.iterdir():
                    if entry.name.startswith(prefix) and entry.is_dir():
                        found.setdefault(entry.name, {})[controller] = entry
        return [cls(groups, unified="unified" in groups) for groups in found.values()]

    def _limit(self, memory_bytes: int, processes: int) -> None:
        if self.unified:
            group = self.groups["unified"]
            self.memory = _write(group / "memory.max", str(memory_bytes))
            _write(group / "memory.swap.max", "0")
            self.pids = _write(group / "pids.max", str(processes))
            return
        if "memory" in self.groups:
            group = self.groups["memory"]
            self.memory = _write(group / "memory.limit_in_bytes", str(memory_bytes))
            _write(group / "memory.memsw.limit_in_bytes", str(memory_bytes))  # no swapping past it
        if "pids" in self.groups:
            self.pids = _write(self.groups["pids"] / "pids.max", str(processes))

    def attach(self, pid: int) -> bool:
        """Put the process `pid` (and so everything it starts later) in this group."""
        return all([_write(group / "cgroup.procs", str(pid)) for group in self.groups.values()])

    def kill(self) -> None:
        """SIGKILL every process in the group, at once where the kernel allows it."""
        if self.unified:
            group = self.groups["unified"]
            if _write(group / "cgroup.kill", "1"):
                return
        freezer = self.groups.get("freezer")
        if freezer is not None:
            _write(freezer / "freezer.state", "FROZEN")  # no member can fork while it is frozen
        any_group = next(iter(self.groups.values()))
        for pid in _members(freezer or any_group):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if freezer is not None:
            _write(freezer / "freezer.state", "THAWED")  # a frozen process never handles SIGKILL

    def remove(self) -> None:
        """Kill what is left in the group and remove it (a group with members cannot go)."""
        for _ in range(200):
            self.kill()
            if not any(_members(group) for group in self.groups.values()):
                break
            time.sleep(0.005)
        for group in self.groups.values():
            with contextlib.suppress(OSError):
                group.rmdir()


def tasks_allowed(limits: Limits, group: Cgroup | None) -> Limits:
    """`limits` with the tasks a worker may have: all of `processes` where a cgroup bounds the
    memory of its whole tree, else at most UNBOUNDED_TASKS (jax's import needs about 16 threads,
    so it runs only where a cgroup can be made, or with more processes allowed)."""
    if group is not None and group.memory:
        return limits
    return replace(limits, processes=min(limits.processes, UNBOUNDED_TASKS))
