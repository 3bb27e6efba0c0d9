"""`grade list [SUBMISSION]`: the sets and exercises, and a submission's status per exercise."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from exercises import SETS, all_exercises
from grader.cli import cli
from grader.grading import Options, grade

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_shows_each_exercise_with_its_signature_section_and_task():
    """Every exercise appears with its signature and section on one line, its task below."""
    result = run("list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    first = next(line for line in lines if line.startswith("  d_ln_x2("))
    column = first.index("P&H")  # where the first row's section starts
    for exercise in all_exercises():
        (row,) = [i for i, line in enumerate(lines) if line.strip().startswith(exercise.signature + " ")]
        section = [lines[row][column:].strip()]  # and its continuations, in the same column
        while lines[row + 1].startswith(" " * column):
            row += 1
            section.append(lines[row].strip())
        assert " ".join(section) == exercise.section
        following = " ".join(line.strip() for line in lines[row + 1 : row + 4])
        assert following.startswith(" ".join(exercise.task.split()[:6]))
    assert "41 exercises in 7 sets" in result.output


def test_list_json_has_the_sets_and_their_exercises_without_status():
    """--format json: 7 sets in contract order, 41 exercises with signature, task, section,
    catalogue and conventions, and no status when no submission is given."""
    data = json.loads(run("list", "--format", "json").output)
    assert data["schema"] == "matgrade.list/1" and data["submission"] is None
    assert [s["name"] for s in data["sets"]] == list(SETS)
    listed = [e for s in data["sets"] for e in s["exercises"]]
    assert [e["name"] for e in listed] == [e.name for e in all_exercises()]
    first = listed[0]
    assert set(first) == {"name", "signature", "task", "section", "catalogue", "conventions"}
    assert first["conventions"] == ["K2"]


def test_list_with_a_submission_shows_the_status_grade_gives(tmp_path):
    """With a submission, each exercise's status and score are those of grade() with the
    same options: passed, failed, error or missing."""
    submission = tmp_path / "work.py"
    submission.write_text(
        "def d_ln_x2(x):\n    return 2 / x\n\n"
        "def d_sin_x2(x):\n    return 0.0\n\n"
        "def d_x_plus_x2(x):\n    return [][0]\n\n"
        "def d_x_times_x2(x):\n    raise NotImplementedError\n"
    )
    args = ("--only", "scalar", "--examples", "5", "--seed", "4")
    result = run("list", str(submission), *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    api = grade(str(submission), Options(seed=4, examples=5, only=("scalar",)))
    listed = {e["name"]: (e["status"], e["score"]) for s in data["sets"] for e in s["exercises"]}
    assert listed == {r.name: (r.status, r.score) for r in api.exercises}
    assert listed["d_ln_x2"] == ("passed", 1.0)
    assert listed["d_sin_x2"][0] == "failed"
    assert listed["d_x_plus_x2"][0] == "error"
    assert listed["d_x_times_x2"][0] == "missing"
    assert data["score"] == api.score
    text = run("list", str(submission), *args).output
    assert "PASS       1/1  d_ln_x2(x)" in text
    assert "FAIL" in text and "ERR" in text and "----" in text
    assert "1 passed, 1 failed, 1 error, 3 missing" in text


def test_list_of_a_submission_that_cannot_be_loaded_exits_two_with_the_reason(tmp_path):
    """A syntax error: the error once, with its line, and no row per exercise; exit 2."""
    bad = tmp_path / "bad.py"
    bad.write_text("def d_ln_x2(x):\n    return 2 /\n")
    result = run("list", str(bad), "--only", "scalar")
    assert result.exit_code == 2
    assert result.output.count("syntax error") == 1 and "line 2" in result.output
    assert "ERR" not in result.output and "d_sin_x2" not in result.output


def test_list_of_a_missing_file_says_so_once_on_stderr_and_exits_two(tmp_path):
    """`grade list missing.py`: one line on stderr, nothing on stdout, exit 2; JSON stays valid."""
    missing = str(tmp_path / "missing.py")
    result = run("list", missing)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"grade: {missing}: no such file. Check the path and try again.\n"
    as_json = run("list", missing, "--format", "json")
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout)["errors"] == [f"{missing}: no such file. Check the path and try again."]


def test_list_wraps_to_the_terminal_width():
    """At COLUMNS=60 no line is longer than 60, except a signature longer than the line."""
    result = CliRunner().invoke(cli, ["list"], env={"COLUMNS": "60"})
    assert result.exit_code == 0
    long = [line for line in result.output.splitlines() if len(line) > 60]
    assert long == []
    wide = CliRunner().invoke(cli, ["list"], env={"COLUMNS": "200"})
    assert max(len(line) for line in wide.output.splitlines()) > 100


def test_list_honours_no_color_and_force_color():
    """FORCE_COLOR colours the listing without a terminal; NO_COLOR wins over it."""
    forced = CliRunner().invoke(cli, ["list"], env={"FORCE_COLOR": "1", "NO_COLOR": None})
    assert "\x1b[1mscalar\x1b[0m" in forced.output
    both = CliRunner().invoke(cli, ["list"], env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in both.output
