"""Killing a worker's uid: `kill(-1)` as that uid repeats while a live process of it is left.

confinement._kill_as used to repeat `kill(-1)` a hundred times whatever happened (ESRCH comes
only when no other process exists at all); it now stops once /proc shows no live process of
the uid.  These tests hold what "live" means there: a running process counts, a zombie (which
cannot fork) does not, and an unused uid has none.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from grader.sandbox import confinement

UNUSED = 1_599_999_917  # in the block of private uids, above what a system hands out

root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can run a process as another uid"
)


def _as_uid(uid: int, code: str) -> subprocess.Popen[bytes]:
    """A Python process that becomes `uid` and runs `code`."""
    ids = f"{uid}, {uid}, {uid}"
    switch = f"import os; os.setgroups([]); os.setresgid({ids}); os.setresuid({ids}); "
    return subprocess.Popen([sys.executable, "-c", switch + code])


def _wait_uid(pid: int, uid: int) -> None:
    """Return once process `pid` runs as `uid` (it switches just after it starts)."""
    for _ in range(2000):
        facts = confinement._process_facts(pid)
        if facts is not None and facts[2][0] == uid:
            return
        time.sleep(0.005)
    raise AssertionError(f"process {pid} never ran as uid {uid}")


def _wait_state(pid: int, states: str) -> None:
    for _ in range(2000):
        facts = confinement._process_facts(pid)
        if facts is not None and facts[0] in states:
            return
        time.sleep(0.005)
    raise AssertionError(f"process {pid} never reached a state in {states!r}")


def test_a_uid_without_processes_has_none_alive():
    """No process runs as an unused uid."""
    assert not confinement._alive_as(UNUSED)


@root
def test_a_running_process_of_the_uid_is_alive_and_its_zombie_is_not():
    """Alive while it runs; once it is killed and left unreaped, a zombie, it no longer counts."""
    process = _as_uid(UNUSED, "import time; time.sleep(60)")
    try:
        _wait_uid(process.pid, UNUSED)
        assert confinement._alive_as(UNUSED)
        os.kill(process.pid, signal.SIGKILL)
        _wait_state(process.pid, "Z")  # dead, not reaped yet
        assert not confinement._alive_as(UNUSED)
    finally:
        process.kill()
        process.wait()


@root
def test_killing_a_uid_ends_every_process_of_it():
    """_kill_as ends a process of the uid (and returns: the loop stops once none is alive)."""
    process = _as_uid(UNUSED, "import time; time.sleep(60)")
    try:
        _wait_uid(process.pid, UNUSED)
        confinement._kill_as(UNUSED)
        assert process.wait(timeout=10) == -signal.SIGKILL
        assert not confinement._alive_as(UNUSED)
    finally:
        process.kill()
        process.wait()
