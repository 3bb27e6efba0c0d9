"""Batch grading: a folder of submissions in parallel into a gradebook, isolated and resumable."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from click.testing import CliRunner

from grader.assignment import parse_assignment
from grader.batch import STAMP, grade_batch
from grader.cli import cli
from grader.grading import grade

CORRECT = "import math\n\ndef d_sin_x2(x):\n    return 2 * x * math.cos(x ** 2)\n"
WRONG = "import math\n\ndef d_sin_x2(x):\n    return math.cos(x ** 2)\n"
HANGS = "def d_sin_x2(x):\n    while True:\n        pass\n"
CRASHES = "import os\n\ndef d_sin_x2(x):\n    os._exit(3)\n"

ASSIGNMENT = """
seed = "student"
examples = 10
timeout = 0.3
exercise_timeout = 2

[exercises.d_sin_x2]
points = 2
"""


def make_class(folder: Path) -> dict[str, str]:
    """50 students: 40 correct (4 of them in folders), 5 wrong, 3 hanging, 2 crashing."""
    folder.mkdir()
    kinds = {}
    for i in range(50):
        student = f"s{i:02d}"
        source = CORRECT if i < 40 else WRONG if i < 45 else HANGS if i < 48 else CRASHES
        kinds[student] = source
        if i % 10 == 0:
            (folder / student).mkdir()
            (folder / student / "solution.py").write_text(source)
        else:
            (folder / f"{student}.py").write_text(source)
    return kinds


def read_gradebook(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_batch_of_fifty_writes_a_correct_gradebook_and_a_rerun_skips_everyone(tmp_path):
    """Correct, wrong, hanging and crashing students each get the right row; a re-run grades none."""
    kinds = make_class(tmp_path / "subs")
    (tmp_path / "hw1.toml").write_text(ASSIGNMENT)
    out = tmp_path / "out"
    args = ["batch", str(tmp_path / "subs"), "--assignment", str(tmp_path / "hw1.toml")]
    args += ["-o", str(out), "--jobs", "2", "--format", "gradescope"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = read_gradebook(out / "gradebook.csv")
    assert [r["student"] for r in rows] == sorted(kinds)
    assert list(rows[0]) == ["student", "score", "max_score", "d_sin_x2", "status", "message"]
    for row in rows:
        source = kinds[row["student"]]
        assert row["max_score"] == "2"
        if source == CORRECT:
            assert (row["status"], row["score"], row["d_sin_x2"]) == ("passed", "2", "2")
        else:
            assert row["status"] == "failed" and float(row["score"]) < 2
        report = json.loads((out / row["student"] / "report.json").read_text())
        assert report["score"] == float(row["score"])
        if source in (HANGS, CRASHES):
            assert report["exercises"][0]["status"] == "error"
        assert (out / row["student"] / "results.json").exists()
    seeds = {json.loads((out / s / "report.json").read_text())["seed"] for s in kinds}
    assert len(seeds) == 50
    stamps = {s: (out / s / STAMP).read_text() for s in kinds}

    (tmp_path / "subs" / "s01.py").write_text(WRONG)  # one student resubmits
    again = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert again.exit_code == 0
    assert "49 unchanged" in again.output
    rerows = read_gradebook(out / "gradebook.csv")
    assert next(r for r in rerows if r["student"] == "s01")["status"] == "failed"
    assert [r for r in rerows if r["student"] != "s01"] == [r for r in rows if r["student"] != "s01"]
    assert all((out / s / STAMP).read_text() == stamps[s] for s in kinds if s != "s01")


def test_a_batch_process_that_dies_is_recorded_and_the_batch_goes_on(tmp_path):
    """A grading process killed by os._exit is a 'crashed' row; the others are graded."""
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("alice", "bob", "carol"):
        (subs / f"{name}.py").write_text(CORRECT)

    def dies_for_bob(path, options):
        if Path(path).stem == "bob":
            os._exit(9)
        return grade(path, options)

    assignment = parse_assignment({"examples": 10, "exercises": {"d_sin_x2": {}}})
    result = grade_batch(str(subs), str(tmp_path / "out"), assignment, jobs=2, grader=dies_for_bob)
    status = {row.student: row.status for row in result.rows}
    assert status == {"alice": "passed", "bob": "crashed", "carol": "passed"}
    bob = next(row for row in result.rows if row.student == "bob")
    assert "exited with code 9" in bob.message
    assert not (tmp_path / "out" / "bob" / STAMP).exists()  # a re-run grades bob again


def test_a_folder_with_two_python_files_is_an_invalid_row(tmp_path):
    """A student's folder must hold one .py file; two make an 'invalid' row, not a crash."""
    subs = tmp_path / "subs"
    (subs / "dan").mkdir(parents=True)
    (subs / "dan" / "a.py").write_text(CORRECT)
    (subs / "dan" / "b.py").write_text(CORRECT)
    assignment = parse_assignment({"examples": 10, "exercises": {"d_sin_x2": {}}})
    result = grade_batch(str(subs), str(tmp_path / "out"), assignment, jobs=1)
    assert [(r.student, r.status) for r in result.rows] == [("dan", "invalid")]
    assert "2 .py files" in result.rows[0].message
