"""The `grade` command says what the library API returns, with the documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from grader.cli import cli
from grader.grading import Options, grade
from grader.render.json import render_json

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FAST = ["--examples", "20", "--jobs", "1"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_correct_submission_exits_zero_and_says_so(tmp_path):
    """A file whose functions are all right exits 0 and reports them as PASS."""
    result = run(str(EXAMPLES / "correct.py"), "--only", "neuron", *FAST)
    assert result.exit_code == 0, result.output
    assert result.output.count("PASS") == 4
    assert "score 4/4" in result.output


def test_a_wrong_answer_exits_one_with_its_diagnosis():
    """A mistake exits 1 and the report names the identity, the input and the mistake."""
    result = run(str(EXAMPLES / "mistakes.py"), "--only", "neuron_grad", *FAST)
    assert result.exit_code == 1
    assert "FAIL  neuron_grad" in result.output
    assert "[missing-mask]" in result.output
    assert "smallest failing input" in result.output


def test_json_output_is_the_api_report(tmp_path):
    """--format json prints exactly what grade() returns, rendered as JSON."""
    path = str(EXAMPLES / "mistakes.py")
    result = run(path, "--only", "loss", "--format", "json", "--seed", "3", *FAST)
    api = grade(path, Options(seed=3, examples=20, only=("loss",), jobs=1))
    assert result.output == render_json(api)
    data = json.loads(result.output)
    assert data["schema"] == "matgrade.report/1" and data["seed"] == 3
    assert {e["status"] for e in data["exercises"]} == {"failed", "missing"}


def test_output_file_receives_the_report(tmp_path):
    """--output writes the report to the file and nothing to the terminal."""
    target = tmp_path / "report.json"
    result = run(
        str(EXAMPLES / "correct.py"), "--only", "d_ln_x2", "--format", "json", "-o", str(target), *FAST
    )
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(target.read_text())["score"] == 1.0


def test_a_file_that_does_not_parse_exits_two_with_line_and_caret(tmp_path):
    """A syntax error is a submission error: exit 2, the line, and a caret under it."""
    bad = tmp_path / "bad.py"
    bad.write_text("def d_ln_x2(x):\n    return 2 /\n")
    result = run(str(bad), *FAST)
    assert result.exit_code == 2
    assert "line 2" in result.output and "^" in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_exits_two_with_a_clear_message(tmp_path):
    """A path that does not exist is reported as such, exit 2."""
    result = run(str(tmp_path / "nope.py"), *FAST)
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_an_unknown_only_name_suggests_the_right_one():
    """--only with a misspelt name is a usage error with a suggestion."""
    result = CliRunner().invoke(cli, [str(EXAMPLES / "correct.py"), "--only", "nueron_grad"])
    assert result.exit_code == 2
    assert "did you mean 'neuron_grad'" in result.output


def test_list_shows_every_set_and_the_41_functions():
    """`grade list` names the 7 sets and 41 exercises of the contract."""
    result = run("list")
    assert result.exit_code == 0
    assert "41 exercises in 7 sets" in result.output
    for name in ("d_ln_x2", "jac_relu", "vector_chain", "layer_jacobian", "sgd_epoch", "backprop_batch"):
        assert name in result.output


def test_the_report_does_not_depend_on_the_number_of_jobs():
    """One grader process or two: the same seed gives the same bytes."""
    path = str(EXAMPLES / "mistakes.py")
    one = grade(path, Options(seed=5, examples=15, only=("scalar", "loss"), jobs=1))
    two = grade(path, Options(seed=5, examples=15, only=("scalar", "loss"), jobs=2))
    assert render_json(one) == render_json(two)


def test_an_exercise_named_like_its_set_can_be_chosen_alone():
    """`neuron` names the set; `exercise:neuron` the single exercise."""
    from grader.grading import select_exercises

    assert len(select_exercises(["neuron"])) == 4
    assert [e.name for e in select_exercises(["exercise:neuron"])] == ["neuron"]
    assert [e.name for e in select_exercises(["set:loss", "exercise:backprop"])][-1] == "backprop"
