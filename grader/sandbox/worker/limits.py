"""Resource limits of the worker process, set before numpy or any student code is loaded.

Memory, file size, CPU time, open files, processes and threads, and no core dumps;
docs/security.md lists each with its option.  A limit above the hard one is lowered to it;
one the machine refuses is skipped.

Memory is `RLIMIT_DATA` (Linux counts every private writable mapping in it: the heap, malloc's
mmaps, numpy's arrays, thread stacks), so a memory bomb meets `memory` as a MemoryError.  The
address space (`RLIMIT_AS`) is only a backstop, `ADDRESS_SLACK` above it: libraries reserve
far more than they use (jax: 1.4 GiB of address space for 190 MiB of data; torch 0.6 GiB for
180 MiB), in code mapped from files and in inaccessible reservations that hold no memory, and
an address-space limit of `memory` alone made them fail.  The backstop still bounds what
`RLIMIT_DATA` does not count, shared mappings (`mmap.mmap(-1, n)`).
"""

from __future__ import annotations

import contextlib
import os
import resource
from typing import Any

ADDRESS_SLACK = 2 << 30  # bytes of address space above the memory limit: see the docstring


def _set_limit(kind: int, value: int) -> None:
    hard = resource.getrlimit(kind)[1]
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(kind, (value, value))


def _own_tasks() -> int:
    """Threads of every process of this user (RLIMIT_NPROC counts them all)."""
    uid, total = os.getuid(), 0
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1 0").split()[0]) == uid:
            total += int(fields.get("Threads", "1").strip() or 1)
    return total



def apply_limits(config: dict[str, Any]) -> None:
    """Set every limit from the grader's CONFIG (its defaults when a field is missing)."""
    memory = int(config.get("memory", 1 << 30))
    _set_limit(resource.RLIMIT_DATA, memory)
    _set_limit(resource.RLIMIT_AS, memory + ADDRESS_SLACK)
    _set_limit(resource.RLIMIT_CORE, 0)
    _set_limit(resource.RLIMIT_FSIZE, int(config.get("file_bytes", 64 << 20)))
    _set_limit(resource.RLIMIT_CPU, int(config.get("cpu_seconds", 3600)))
    _set_limit(resource.RLIMIT_NOFILE, 1024)
    processes = int(config.get("processes", 8))
    if os.geteuid() != 0:
        # Per user: the grader's own processes count too, so allow that many more.
        _set_limit(resource.RLIMIT_NPROC, _own_tasks() + processes)
    else:
        _set_limit(resource.RLIMIT_NPROC, processes)  # applies once the uid is dropped
