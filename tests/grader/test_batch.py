"""Batch grading: a folder of submissions in parallel into a gradebook, isolated and resumable."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
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
timeout = 2
exercise_timeout = 60

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
    assert list(rows[0]) == ["student", "score", "max_score", "d_sin_x2", "status", "message", "folder"]
    for row in rows:
        source = kinds[row["student"]]
        assert row["max_score"] == "2" and row["folder"] == row["student"]  # a safe name is kept
        if source == CORRECT:
            assert (row["status"], row["score"], row["d_sin_x2"]) == ("passed", "2", "2")
        else:
            assert row["status"] == ("failed" if source == WRONG else "error") and float(row["score"]) < 2
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
    assert "50 submissions (39 passed, 6 failed, 5 error; 49 unchanged)" in again.output
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


def test_an_empty_submission_is_incomplete_in_the_gradebook_not_unloadable(tmp_path):
    """A student's empty (or comment-only) file is graded: `incomplete`, 0 points, a message saying empty."""
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "eve.py").write_text("")
    (subs / "fay.py").write_text("# I will do it tomorrow\n")
    assignment = parse_assignment({"examples": 10, "exercises": {"d_sin_x2": {}}})
    result = grade_batch(str(subs), str(tmp_path / "out"), assignment, jobs=1)
    assert [(r.student, r.status, r.score) for r in result.rows] == [
        ("eve", "incomplete", 0.0),
        ("fay", "incomplete", 0.0),
    ]
    assert all("is empty" in r.message for r in result.rows)
    rows = read_gradebook(tmp_path / "out" / "gradebook.csv")
    assert [r["status"] for r in rows] == ["incomplete", "incomplete"]


def batch_args(subs: Path, out: Path, toml: Path, *more: str) -> list[str]:
    return ["batch", str(subs), "--assignment", str(toml), "-o", str(out), "--jobs", "2", *more]


def agrees_with_reports(out: Path) -> list[dict[str, str]]:
    """The gradebook's rows, after checking each against the report.json beside it (if any)."""
    rows = read_gradebook(out / "gradebook.csv")
    for row in rows:
        report_path = out / row["student"] / "report.json"
        if row["status"] in ("not-graded", "invalid", "crashed", "timed-out"):
            assert not report_path.exists() or row["status"] != "not-graded", row
            continue
        report = json.loads(report_path.read_text())
        assert (report["status"], report["score"]) == (row["status"], float(row["score"])), row
    for folder in out.iterdir():
        if (folder / "report.json").exists():
            assert folder.name in {r["student"] for r in rows}
    return rows


def small_class(tmp_path: Path, sources: dict[str, str]) -> tuple[Path, Path]:
    subs = tmp_path / "subs"
    subs.mkdir()
    for student, source in sources.items():
        (subs / f"{student}.py").write_text(source)
    toml = tmp_path / "hw1.toml"
    toml.write_text(ASSIGNMENT)
    return subs, toml


def test_an_output_folder_that_is_the_submissions_folder_is_refused_with_exit_2(tmp_path):
    """`-o SUBMISSIONS` would grade its own reports next time: refused, naming another -o."""
    subs, toml = small_class(tmp_path, {"alice": CORRECT})
    result = CliRunner().invoke(cli, batch_args(subs, subs, toml))
    assert result.exit_code == 2
    assert "is the submissions folder" in result.output and "pick another -o" in result.output
    assert sorted(p.name for p in subs.iterdir()) == ["alice.py"]


def test_an_output_folder_inside_the_submissions_folder_is_neither_graded_nor_a_student(tmp_path):
    """`-o subs/graded` adds no phantom student, and a second run reuses every row unchanged."""
    subs, toml = small_class(tmp_path, {"alice": CORRECT, "bob": WRONG})
    out = subs / "graded"
    first = CliRunner().invoke(cli, batch_args(subs, out, toml), catch_exceptions=False)
    assert first.exit_code == 0, first.output
    rows = agrees_with_reports(out)
    assert [(r["student"], r["status"]) for r in rows] == [("alice", "passed"), ("bob", "failed")]
    again = CliRunner().invoke(cli, batch_args(subs, out, toml), catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert "2 unchanged" in again.output
    assert "ignored graded: it is or holds the output folder" in again.output
    assert read_gradebook(out / "gradebook.csv") == rows


def test_a_stray_file_is_listed_with_its_reason_on_stderr_and_in_the_summary(tmp_path):
    """helen.txt is not graded and says so; a hidden file stays silent."""
    subs, toml = small_class(tmp_path, {"alice": CORRECT})
    (subs / "helen.txt").write_text(CORRECT)
    (subs / ".DS_Store").write_text("")
    result = CliRunner().invoke(cli, batch_args(subs, tmp_path / "out", toml), catch_exceptions=False)
    assert result.exit_code == 0
    assert "ignored " + str(subs / "helen.txt") + ": not a .py or .ipynb file" in result.stderr
    assert "ignored helen.txt: not a .py or .ipynb file" in result.stdout
    assert ".DS_Store" not in result.stdout + result.stderr
    assert [r["student"] for r in read_gradebook(tmp_path / "out" / "gradebook.csv")] == ["alice"]


def test_an_empty_folder_exits_2_naming_the_folder_and_what_it_expects(tmp_path):
    """No submissions is a usage error (exit 2) that says what a submission is; nothing is written."""
    subs, toml = small_class(tmp_path, {})
    (subs / "notes.txt").write_text("")
    result = CliRunner().invoke(cli, batch_args(subs, tmp_path / "out", toml))
    assert result.exit_code == 2
    assert f"no submissions in {subs}" in result.output
    assert ".py file or .ipynb notebook per student" in result.output and "notes.txt" in result.output
    assert not (tmp_path / "out").exists()


def test_an_output_path_under_a_regular_file_is_refused_before_any_grading(tmp_path):
    """-o through a file is a message and exit 2, not a traceback after grading everyone."""
    subs, toml = small_class(tmp_path, {"alice": CORRECT})
    (tmp_path / "afile").write_text("")
    result = CliRunner().invoke(cli, batch_args(subs, tmp_path / "afile" / "out", toml))
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"cannot write to the output folder {tmp_path / 'afile' / 'out'}: Not a directory" in result.output
    assert "[1/1]" not in result.output  # nobody was graded


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_output_folder_is_refused_before_any_grading(tmp_path):
    """An output folder without write permission is a message and exit 2 before grading."""
    subs, toml = small_class(tmp_path, {"alice": CORRECT})
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = CliRunner().invoke(cli, batch_args(subs, out, toml))
    finally:
        out.chmod(0o700)
    assert result.exit_code == 2
    assert f"cannot write to the output folder {out}: Permission denied" in result.output
    assert "[1/1]" not in result.output


def test_the_status_column_is_the_reports_own_word_and_survives_a_rerun(tmp_path):
    """Nothing or part attempted is `incomplete`, not `passed`; a reused row keeps its word."""
    subs = tmp_path / "subs"
    subs.mkdir()
    second = "\ndef d_ln_x2(x):\n    return 2 / x\n"
    sources = {
        "alice": CORRECT + second,
        "carol": "x = 1\n",
        "dave": CORRECT,
        "eve": WRONG + second,
        "fred": HANGS + second,
        "gina": "def d_sin_x2(x) return\n",
    }
    for student, source in sources.items():
        (subs / f"{student}.py").write_text(source)
    (subs / "hal").mkdir()
    toml = tmp_path / "hw1.toml"
    toml.write_text(ASSIGNMENT + "\n[exercises.d_ln_x2]\npoints = 3\n")
    out = tmp_path / "out"
    expected = {
        "alice": ("passed", "5"),
        "carol": ("incomplete", "0"),
        "dave": ("incomplete", "2"),
        "eve": ("failed", "3"),
        "fred": ("error", "3"),
        "gina": ("unloadable", "0"),
        "hal": ("invalid", "0"),
    }
    result = CliRunner().invoke(cli, batch_args(subs, out, toml), catch_exceptions=False)
    assert result.exit_code == 1  # hal is invalid
    counts = "1 passed, 2 incomplete, 1 failed, 1 error, 1 unloadable, 1 invalid"
    assert f"7 submissions ({counts}; 0 unchanged)" in result.output
    rows = agrees_with_reports(out)
    assert {r["student"]: (r["status"], r["score"]) for r in rows} == expected
    assert json.loads((out / "carol" / STAMP).read_text())["status"] == "incomplete"
    (subs / "hal").rmdir()
    again = CliRunner().invoke(cli, batch_args(subs, out, toml), catch_exceptions=False)
    assert again.exit_code == 0  # everyone graded, whatever their grade
    assert "6 unchanged" in again.output
    del expected["hal"]
    rows = read_gradebook(out / "gradebook.csv")
    assert {r["student"]: (r["status"], r["score"]) for r in rows} == expected


def test_the_gradebook_is_rewritten_after_each_student_and_leaves_no_temporary_files(tmp_path):
    """When a student is reported done, the gradebook on disk already has their row."""
    subs, _ = small_class(tmp_path, {"alice": CORRECT, "bob": WRONG, "carol": CORRECT})
    out = tmp_path / "out"
    seen = []

    def progress(done, total, row):
        on_disk = {r["student"]: r["status"] for r in agrees_with_reports(out)}
        seen.append((row.student, on_disk[row.student], sum(s == "not-graded" for s in on_disk.values())))

    assignment = parse_assignment({"examples": 10, "exercises": {"d_sin_x2": {}}})
    grade_batch(str(subs), str(out), assignment, jobs=1, progress=progress)
    assert seen == [("alice", "passed", 2), ("bob", "failed", 1), ("carol", "passed", 0)]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def wait_for(predicate, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def stamped(folder: Path, status: str) -> bool:
    """The student's report says `status`, and the stamp that vouches for it is written."""
    try:
        report = json.loads((folder / "report.json").read_text())
    except (OSError, ValueError):
        return False
    return report["status"] == status and (folder / STAMP).exists()


def test_ctrl_c_stops_a_regrade_saves_a_gradebook_that_agrees_and_a_rerun_finishes(tmp_path):
    """SIGINT to a real `grade batch`: exit 130, "N of M graded", no stale row; then it resumes."""
    subs, toml = small_class(tmp_path, {f"st{i:02d}": CORRECT for i in range(4)})
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader.cli", *batch_args(subs, out, toml)]
    command[command.index("--jobs") + 1] = "1"
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    # Every student resubmits: st00 a wrong answer (quick), the others answers that hang.
    (subs / "st00.py").write_text(WRONG)
    for i in range(1, 4):
        (subs / f"st{i:02d}.py").write_text(HANGS)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: stamped(out / "st00", "failed"), 120)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert "of 4 graded; run the same command again to continue" in stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr
    rows = agrees_with_reports(out)
    status = {r["student"]: r["status"] for r in rows}
    assert status["st00"] == "failed" and "not-graded" in status.values()
    for student, word in status.items():
        assert (out / student / "report.json").exists() == (word != "not-graded")
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    rows = agrees_with_reports(out)
    assert [r["status"] for r in rows] == ["failed", "error", "error", "error"]
    assert "1 unchanged" in again.stdout or "2 unchanged" in again.stdout
