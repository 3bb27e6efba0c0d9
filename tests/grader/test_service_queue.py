"""The queue survives: `kill -9` mid-queue and a restart grade all once; stuck gradings end `failed`."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.grader.servicekit import EXAMPLES, Server, add_accounts, upload, wait_done

pytest.importorskip("fastapi", reason="the serve extra is not installed (pip install 'matgrade[serve]')")
pytestmark = pytest.mark.slow

SMALL = """title = "Small"
seed = 11
examples = 20
[exercises.neuron_grad]
[exercises.mse_grad]
"""
SLOW_LOAD = b"import time\ntime.sleep(9)\n\ndef neuron_grad(w, b, x):\n    return w, b\n"


def _rows(data: Path) -> dict[int, tuple[str, int, str | None]]:
    with sqlite3.connect(data / "matgrade.sqlite3") as db:
        return {
            i: (s, c, f)
            for i, s, c, f in db.execute("SELECT id, status, claim, finished_at FROM submissions")
        }


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for a reaper does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _children(pid: int, word: bytes) -> list[int]:
    """The processes whose parent is `pid` and whose command line holds `word`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:"))
        if parent == pid and word in command:
            found.append(int(entry.name))
    return found


def _jobs_of(pid: int) -> list[int]:
    """The gradings under the service `pid`: the children that its warm graders (host.py) forked."""
    return [
        job
        for host in _children(pid, b"grader.service.host")
        for job in _children(host, b"grader.service.host")
    ]


def _graders_of(pid: int) -> list[int]:
    """The warm graders of the service `pid` and the gradings they forked."""
    return [*_children(pid, b"grader.service.host"), *_jobs_of(pid)]


def test_after_kill_9_mid_queue_a_restart_grades_every_submission_exactly_once(tmp_path):
    """Six uploads, the service killed while one is running: after a restart all six are done, and
    the ones done before the kill keep their one result (same finish time, claimed once)."""
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    data = tmp_path / "data"
    tokens = add_accounts(data, ["ann"], "prof")
    server = Server(data, [tmp_path / "small.toml"], ["--jobs", "1"]).start()
    files = [EXAMPLES / "correct.py", EXAMPLES / "mistakes.py"]
    try:
        with server.client(tokens["ann"]) as ann:
            ids = [upload(ann, "small", f"s{i}.py", files[i % 2].read_bytes()).json()["id"] for i in range(6)]
        assert server.process is not None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            rows = _rows(data)
            done = any(r[0] == "done" for r in rows.values())
            if done and any(r[0] == "running" for r in rows.values()) and _jobs_of(server.process.pid):
                break
            time.sleep(0.05)
        graders = _graders_of(server.process.pid)
        assert _jobs_of(server.process.pid)
        server.kill()
    finally:
        server.stop()
    before = _rows(data)
    done_before = {i: r for i, r in before.items() if r[0] == "done"}
    assert done_before and any(r[0] == "running" for r in before.values())
    time.sleep(0.5)
    assert not [pid for pid in graders if _alive(pid)], "a grading outlived the service"
    server = Server(data, [tmp_path / "small.toml"], ["--jobs", "2"]).start()
    try:
        with server.client(tokens["ann"]) as ann:
            records = [wait_done(ann, i) for i in ids]
    finally:
        server.stop()
    assert [r["status"] for r in records] == ["done"] * 6
    assert [r["score"] for r in records] == [2.0, 0.0] * 3
    after = _rows(data)
    for i, row in done_before.items():
        assert after[i] == row  # not graded again, not written again
    assert all(claim in (1, 2) for _, claim, _ in after.values())


def test_a_grading_that_overruns_or_is_killed_ends_failed_with_a_message(tmp_path):
    """--job-seconds 5 and a file that sleeps 9 s at load: `failed`, saying so; a grading process
    killed with SIGKILL: `failed`, naming the signal.  The service goes on grading."""
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    data = tmp_path / "data"
    tokens = add_accounts(data, ["ann"], "prof")
    server = Server(data, [tmp_path / "small.toml"], ["--jobs", "1", "--job-seconds", "5"]).start()
    try:
        with server.client(tokens["ann"]) as ann:
            slow = upload(ann, "small", "slow.py", SLOW_LOAD).json()["id"]
            overran = wait_done(ann, slow)
            assert overran["status"] == "failed" and overran["report"] is None
            assert "took longer than 5 s and was stopped" in overran["message"]
            victim = upload(ann, "small", "victim.py", SLOW_LOAD).json()["id"]
            assert server.process is not None
            deadline = time.monotonic() + 30
            while not (jobs := _jobs_of(server.process.pid)) and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(jobs[0], signal.SIGKILL)
            killed = wait_done(ann, victim)
            assert killed["status"] == "failed"
            assert "killed by signal 9 (SIGKILL)" in killed["message"]
            fine = upload(ann, "small", "fine.py", (EXAMPLES / "correct.py").read_bytes()).json()["id"]
            assert wait_done(ann, fine)["status"] == "done"
    finally:
        server.stop()
