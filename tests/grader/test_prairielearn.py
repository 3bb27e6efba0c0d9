"""PrairieLearn: --format prairielearn, and its entry point (run.sh, `grade prairielearn`) on a
folder laid out like the /grade that PrairieLearn mounts in the grader's container."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from grader.cli import cli
from grader.grading import Options, grade
from grader.prairielearn import RUN_SH
from grader.render.prairielearn import LIMIT, prairielearn_results, render_prairielearn, within_limit
from tests.grader.bundlekit import (
    BROKEN,
    CORRECT,
    EXAMPLES,
    SLOW_TO_LOAD,
    WRONG,
    assignment,
    prairielearn_folder,
    search_path,
)

ASSIGNMENT = assignment("PrairieLearn test")
TEST_FIELDS = {"name", "description", "points", "max_points", "message", "output"}


def check_results(results: Any) -> None:
    """results.json as PrairieLearn reads it (docs/externalGrading.md): types and ranges."""
    assert isinstance(results, dict)
    assert isinstance(results.get("gradable", True), bool)
    if results.get("gradable", True):
        assert isinstance(results["score"], int | float) and 0 <= results["score"] <= 1
    else:
        errors = results["format_errors"]
        assert isinstance(errors, str) or all(isinstance(e, str) for e in errors)
    assert isinstance(results.get("message", ""), str) and isinstance(results.get("output", ""), str)
    for test in results.get("tests", []):
        assert set(test) <= TEST_FIELDS | {"images"}
        assert isinstance(test["name"], str)
        assert isinstance(test["points"], int | float) and isinstance(test["max_points"], int | float)
        assert 0 <= test["points"] <= test["max_points"]
        assert isinstance(test["message"], str) and isinstance(test["output"], str)


def layout(tmp_path: Path, files: dict[str, str], *, assignment: str | None = ASSIGNMENT) -> Path:
    """A folder laid out like PrairieLearn's /grade: tests/, student/, data/data.json."""
    data = {"params": {}, "variant_seed": 4242}
    return prairielearn_folder(tmp_path / "grade", files, assignment=assignment, data=data)


def run_sh(root: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """run.sh, the image's entry point, as PrairieLearn starts it (the root moved); results.json."""
    script = root.parent / "run.sh"
    script.write_text(RUN_SH)
    script.chmod(0o755)
    variables = {
        **os.environ,
        "MATGRADE_GRADE_ROOT": str(root),
        "PATH": search_path(),
        **(env or {}),
    }
    done = subprocess.run([str(script)], env=variables, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    text = (root / "results" / "results.json").read_text()
    assert len(text.encode()) <= LIMIT
    results = json.loads(text)
    check_results(results)
    return results


@pytest.fixture(scope="module")
def mixed():
    """A report with a failed, a missing and an attempted exercise (examples/mistakes.py)."""
    options = Options(examples=10, only=("d_sin_x2", "neuron_grad"), jobs=1)
    return grade(str(EXAMPLES / "mistakes.py"), options)


def test_the_score_is_the_fraction_of_the_points_and_each_exercise_a_test(mixed):
    """score = points / max points in [0, 1]; each test has its points, max_points and output."""
    results = json.loads(render_prairielearn(mixed))
    check_results(results)
    assert results["gradable"] is True
    assert results["score"] == pytest.approx(mixed.score / mixed.max_score)
    assert [t["points"] for t in results["tests"]] == [e.score for e in mixed.exercises]
    assert [t["max_points"] for t in results["tests"]] == [e.max_score for e in mixed.exercises]
    assert f"--seed {mixed.seed}" in results["message"] and "matgrade" in results["message"]


def test_a_results_file_over_a_megabyte_is_cut_with_a_note_and_stays_valid(mixed):
    """A test output of 3 MB is cut to fit 1 MB, and says it was cut."""
    results = prairielearn_results(mixed)
    results["tests"][0]["output"] = "x" * 3_000_000
    text = within_limit(results)
    assert len(text.encode()) <= LIMIT
    cut = json.loads(text)["tests"][0]["output"]
    assert cut.endswith("accepts at most 1 MB of results; run grade locally for the rest)\n")
    assert len(cut) > LIMIT // 2


def test_the_format_is_offered_by_grade(tmp_path):
    """grade FILE --format prairielearn -o results.json writes the same file as the renderer."""
    out = tmp_path / "results.json"
    arguments = [str(EXAMPLES / "correct.py"), "--only", "d_sin_x2", "--examples", "5"]
    result = CliRunner().invoke(cli, [*arguments, "--format", "prairielearn", "-o", str(out)])
    assert result.exit_code == 0, result.output
    results = json.loads(out.read_text())
    check_results(results)
    assert results["score"] == 1.0


def test_a_correct_submission_scores_one(tmp_path):
    """run.sh on /grade with a correct file: score 1.0, both tests at full points."""
    results = run_sh(layout(tmp_path, {"hw1.py": CORRECT}))
    assert results["gradable"] is True and results["score"] == 1.0
    assert [(t["points"], t["max_points"]) for t in results["tests"]] == [(3.0, 3.0), (2.0, 2.0)]


def test_a_wrong_submission_scores_the_fraction_it_earned(tmp_path):
    """A wrong d_sin_x2 (3 of 5 points): score 0.4, its test at 0 with the counterexample."""
    results = run_sh(layout(tmp_path, {"hw1.py": WRONG}))
    assert results["score"] == pytest.approx(0.4)
    first = results["tests"][0]
    assert first["points"] == 0 and "smallest failing input" in first["output"]


def test_a_notebook_is_graded_too(tmp_path):
    """One .ipynb in student/: score 1.0."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    text = nbformat.writes(new_notebook(cells=[new_code_cell(CORRECT)]))
    assert run_sh(layout(tmp_path, {"hw1.ipynb": text}))["score"] == 1.0


def test_a_broken_submission_is_not_gradable_and_names_the_syntax_error(tmp_path):
    """A syntax error: gradable false (the attempt is not counted), the error in format_errors."""
    results = run_sh(layout(tmp_path, {"hw1.py": BROKEN}))
    assert results["gradable"] is False
    assert any("syntax error" in e for e in results["format_errors"])


def test_an_empty_submission_is_not_gradable_and_says_what_to_submit(tmp_path):
    """No file in student/: gradable false, saying to submit one .py file."""
    results = run_sh(layout(tmp_path, {}))
    assert results["gradable"] is False
    assert results["format_errors"] == [
        "No .py or .ipynb file was submitted: submit your solution as one .py file (or one notebook)."
    ]


def test_a_submitted_link_is_refused_and_never_followed(tmp_path):
    """student/hw1.py linking to a correct file elsewhere: not gradable, saying to submit the file."""
    elsewhere = tmp_path / "classmate.py"
    elsewhere.write_text(CORRECT)
    root = layout(tmp_path, {})
    (root / "student" / "hw1.py").symlink_to(elsewhere)
    results = run_sh(root)
    assert results["gradable"] is False and "hw1.py is a symbolic link" in results["message"]


def test_a_question_without_an_assignment_says_to_tell_the_instructor(tmp_path):
    """No TOML in tests/: not gradable, and the message is for the instructor."""
    results = run_sh(layout(tmp_path, {"hw1.py": CORRECT}, assignment=None))
    assert results["gradable"] is False
    assert "set up wrong" in results["message"] and "Tell your instructor" in results["message"]


def test_a_grader_killed_by_the_time_limit_still_leaves_a_result_saying_why(tmp_path):
    """A file that sleeps a minute when loaded, under a 3 s limit: run.sh kills grade and writes a
    not-gradable result telling the student to look at what runs when the file is loaded."""
    results = run_sh(layout(tmp_path, {"hw1.py": SLOW_TO_LOAD}), {"MATGRADE_TIME_LIMIT": "3"})
    assert results["gradable"] is False
    assert "took longer than 3 seconds" in results["message"] and "when it is loaded" in results["message"]


def test_an_image_without_matgrade_still_leaves_a_result(tmp_path):
    """`grade` missing from the image: a valid not-gradable result telling the student whom to tell."""
    results = run_sh(layout(tmp_path, {"hw1.py": CORRECT}), {"MATGRADE_GRADE": "/nonexistent/grade"})
    assert results["gradable"] is False and "no matgrade" in results["message"]


def test_grade_prairielearn_prints_what_it_wrote(tmp_path):
    """The command names results.json, the score and the message of the file it wrote."""
    root = layout(tmp_path, {"hw1.py": CORRECT})
    result = CliRunner().invoke(cli, ["prairielearn", "--root", str(root)])
    assert result.exit_code == 0, result.output
    results = json.loads((root / "results" / "results.json").read_text())
    assert result.output == f"{root / 'results' / 'results.json'}: score 1: {results['message']}\n"


def test_grade_init_prairielearn_writes_the_image_files(tmp_path):
    """Dockerfile (FROM a python base, installing the copied source), an executable run.sh, matgrade/."""
    result = CliRunner().invoke(cli, ["init", "prairielearn", str(tmp_path / "image")])
    assert result.exit_code == 0, result.output
    image = tmp_path / "image"
    dockerfile = (image / "Dockerfile").read_text()
    assert dockerfile.splitlines()[4].startswith("FROM python:3.11")
    assert "pip install -c /opt/matgrade/constraints.txt /opt/matgrade/src" in dockerfile
    assert os.access(image / "run.sh", os.X_OK) and (image / "run.sh").read_text() == RUN_SH
    assert (image / "matgrade" / "pyproject.toml").is_file()
    assert (image / "matgrade" / "grader" / "prairielearn.py").is_file()
    done = subprocess.run(["bash", "-n", str(image / "run.sh")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_grade_prairielearn_without_the_folder_is_a_usage_error(tmp_path):
    """A --root that does not exist: exit 2 and nothing created there."""
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(cli, ["prairielearn", "--root", str(missing)])
    assert result.exit_code == 2
    assert f"no folder {missing}" in result.output
    assert not missing.exists()
