"""What a grading process killed outright leaves behind, found and swept by its parent.

A process that grades (a `grade batch` process) cleans up after its workers when it ends.
Killed with SIGKILL (its time was up, Ctrl-C), it cannot: processes its students started in
sessions of their own, still running as a private uid, the workers' cgroups and their scratch
folders stay.  Each is named for the grading process (`scratch_prefix`, cgroup.py's names),
so that `sweep(pid)` in its parent finds them: it kills every process of each private uid
and of each cgroup, then removes the groups and the folders.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import tempfile
from pathlib import Path

from grader.sandbox.cgroup import Cgroup
from grader.sandbox.confinement import release_uid

_NAMED = re.compile(r"matgrade-(\d+)-(?:u(?:\d+|x)-|\d+$)")

__all__ = ["empty", "scratch_bytes", "scratch_prefix", "sweep", "sweep_stale"]


def scratch_prefix(uid: int | None) -> str:
    """The prefix of a scratch folder made by this process for a worker of `uid`."""
    return f"matgrade-{os.getpid()}-u{uid if uid is not None else 'x'}-"


def sweep(pid: int) -> None:
    """Kill and remove what the dead grading process `pid` left: processes, cgroups, folders."""
    for group in Cgroup.left_by(pid):
        group.remove()
    pattern = re.compile(rf"matgrade-{pid}-u(\d+|x)-")
    with contextlib.suppress(OSError):
        for entry in os.scandir(tempfile.gettempdir()):
            found = pattern.match(entry.name)
            if found is None or not entry.is_dir(follow_symlinks=False):
                continue
            if found.group(1) != "x" and os.geteuid() == 0:
                release_uid(int(found.group(1)))  # every process of that private uid
            shutil.rmtree(Path(entry.path), ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's: alive
    return True


@functools.cache
def sweep_stale() -> None:
    """Once per process: sweep what grading processes that are gone left (a grader killed with
    SIGKILL, a pool child terminated), found by the pid in the names of its cgroups and folders."""
    pids = {int(m.group(1)) for m in map(_NAMED.match, _names()) if m is not None}
    for pid in sorted(pids):
        if pid != os.getpid() and not _alive(pid):
            sweep(pid)


def _names() -> list[str]:
    names = [group.name for group in Cgroup.all_ours()]
    with contextlib.suppress(OSError):
        names += [entry.name for entry in os.scandir(tempfile.gettempdir())]
    return names


def scratch_bytes(folder: str, stop_at: int) -> int:
    """The bytes the files under `folder` take on disk (links not followed); counting stops
    past `stop_at`, or after 100,000 entries (then reported as over)."""
    total, seen = 0, 0
    pending = [folder]
    while pending and total <= stop_at:
        with contextlib.suppress(OSError), os.scandir(pending.pop()) as entries:
            for entry in entries:
                seen += 1
                if seen > 100_000:
                    return stop_at + 1
                with contextlib.suppress(OSError):
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    else:
                        total += entry.stat(follow_symlinks=False).st_blocks * 512
    return total


def empty(folder: str) -> None:
    """Remove everything inside `folder`, keeping the folder itself."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
