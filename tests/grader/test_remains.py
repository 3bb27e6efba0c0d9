"""A batch process killed outright (its time was up) leaves nothing of its workers behind.

It cannot clean up itself: the students' processes in sessions of their own, the workers'
cgroups and scratch folders are swept by the batch's parent (grader/sandbox/remains.py).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path

import pytest

from grader.batch import grade_batch
from grader.sandbox.cgroup import ROOT
from tests.grader.test_policy import MODES, grade_cli
from tests.grader.test_security import live_processes

pytestmark = pytest.mark.slow  # batches killed for their time, in two privilege modes

SCRATCH = re.compile(r"matgrade-(\d+)-u")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _orphans(since: float) -> list[str]:
    """Scratch folders and cgroups made since `since` by grading processes now dead."""
    found = []
    for entry in Path(tempfile.gettempdir()).iterdir():
        match = SCRATCH.match(entry.name)
        if match and entry.stat().st_mtime >= since and not _alive(int(match.group(1))):
            found.append(str(entry))
    for group in ROOT.glob("**/matgrade-*"):
        pid = int(group.name.split("-")[1])
        if group.stat().st_mtime >= since and not _alive(pid):
            found.append(str(group))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_a_batch_process_killed_for_its_time_leaves_no_process_folder_or_cgroup(tmp_path):
    marker = str(10**6 + os.getpid() * 7)
    student = f"""
import subprocess, time
def d_ln_x2(x):
    subprocess.Popen(["sleep", "{marker}"], start_new_session=True)
    time.sleep(1.5)
    return 2 / x
"""
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ada.py").write_text(student, encoding="utf-8")
    since = time.time() - 1
    result = grade_batch(str(folder), str(tmp_path / "out"), jobs=1, student_seconds=4)
    assert [row.status for row in result.rows] == ["timed-out"]
    time.sleep(0.2)
    assert live_processes(marker) == []
    assert _orphans(since) == []


@pytest.mark.parametrize("mode", MODES)
def test_many_files_in_the_scratch_folder_are_stopped_in_both_modes(mode, tmp_path):
    """Each file is under the per-file limit (64 MiB); together they are not.  With a private
    root its tmpfs is full; without one the worker is stopped after the call and its folder
    emptied."""
    student = """
import numpy as np
def d_ln_x2(x):
    block = b"x" * (8 << 20)
    for i in range(12):
        with open(f"filler{i}", "wb") as out:
            out.write(block)
    return 2 / x
"""
    path = tmp_path / "filler.py"
    path.write_text(student, encoding="utf-8")
    run = grade_cli(mode, "--only", "d_ln_x2", "--examples", "2", "--format", "json", str(path))
    result = json.loads(run.stdout)["exercises"][0]
    assert result["status"] == "error", result
    message = result["message"]
    assert "No space left on device" in message or "MiB of files into its folder" in message
