"""A submission's status: the same word in every format, `passed` only when everything passed."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET

import pytest

from grader.assignment import parse_assignment
from grader.errors import UsageError
from grader.render import render
from grader.report import ExerciseResult, Report


def _exercise(name: str, status: str, score: float = 0.0, suggestion: str | None = None) -> ExerciseResult:
    return ExerciseResult(name, "neuron", status, score, 1.0, suggestion=suggestion)  # type: ignore[arg-type]


def _report(
    *statuses: str, assigned: bool = False, loaded: bool = True, suggestion: str | None = None
) -> Report:
    exercises = tuple(
        _exercise(f"ex{i}", s, 1.0 if s == "passed" else 0.0, suggestion) for i, s in enumerate(statuses)
    )
    return Report(submission="hw.py", seed=1, exercises=exercises, loaded=loaded, assigned=assigned)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (("passed", "passed"), "passed"),
        (("passed", "missing"), "incomplete"),
        (("missing", "missing"), "incomplete"),
        (("passed", "error", "missing"), "error"),
        (("error", "failed"), "failed"),
        ((), "incomplete"),
    ],
)
def test_the_status_says_what_happened_to_the_whole_submission(statuses, expected):
    """passed only when every exercise passed; a wrong answer before an error before a missing one."""
    assert _report(*statuses).status == expected


def test_an_unloadable_submission_has_its_own_status():
    """A file that cannot be loaded is `unloadable`, whatever its exercises say."""
    assert _report("error", loaded=False).status == "unloadable"


def test_nothing_attempted_exits_1_under_an_assignment_and_0_for_a_starter():
    """An assignment's exercises all missing fail the run; a starter of stubs graded alone does not."""
    assert _report("missing", "missing", assigned=True).exit_code == 1
    assert _report("missing", "missing").exit_code == 0
    assert _report("passed", "missing", assigned=True).exit_code == 0


def test_a_file_of_misspelt_names_exits_1_without_an_assignment():
    """Every function a near miss of an exercise's name: the student meant them, so the run fails."""
    report = _report("missing", suggestion="exO")
    assert report.exit_code == 1


def test_every_format_carries_the_status_word():
    """JSON, text, Gradescope, JUnit and Markdown all say `incomplete` for a half-done submission."""
    report = _report("passed", "missing", assigned=True)
    assert json.loads(render(report, "json"))["status"] == "incomplete"
    assert "incomplete" in json.loads(render(report, "gradescope"))["output"]
    assert "incomplete" in render(report, "markdown").splitlines()[0]
    junit = ET.fromstring(render(report, "junit").split("\n", 1)[1])
    assert "status incomplete" in (junit.find("testsuite/system-out").text or "")
    github = json.loads(base64.b64decode(render(report, "github")))
    assert "incomplete" in github["message"]


def test_missing_assigned_work_is_a_failure_for_junit_and_github_classroom():
    """With an assignment, a missing exercise is a JUnit <failure> and the runner status is fail."""
    report = _report("passed", "missing", assigned=True)
    junit = ET.fromstring(render(report, "junit").split("\n", 1)[1])
    assert junit.get("failures") == "1" and junit.get("skipped") == "0"
    github = json.loads(base64.b64decode(render(report, "github")))
    assert github["status"] == "fail"
    selfcheck = ET.fromstring(render(_report("passed", "missing"), "junit").split("\n", 1)[1])
    assert selfcheck.get("skipped") == "1" and selfcheck.get("failures") == "0"


def test_an_assignment_turns_partial_credit_on_only_when_asked():
    """partial_credit defaults to false, is passed to the options, and must be a boolean."""
    table = {"exercises": {"neuron_grad": {"points": 2}}}
    assert parse_assignment(table).options("alice").partial_credit is False
    chosen = parse_assignment({**table, "partial_credit": True}).options("alice")
    assert chosen.partial_credit is True and chosen.assigned is True
    with pytest.raises(UsageError, match="partial_credit must be true or false"):
        parse_assignment({**table, "partial_credit": "yes"})


def test_a_file_defining_none_of_the_assigned_exercises_says_which_names_were_expected(tmp_path):
    """The report's error lists the assigned names and the near miss; the run exits 1."""
    from grader.grading import grade

    path = tmp_path / "hw.py"
    path.write_text("def nueron_grad(w, b, x):\n    return 0\n")
    options = parse_assignment({"seed": 1, "exercises": {"neuron_grad": {}, "mse_grad": {}}}).options("hw")
    report = grade(str(path), options)
    assert report.exit_code == 1 and report.status == "incomplete"
    [error] = report.errors
    assert "expected the functions `neuron_grad`, `mse_grad`" in error
    assert "did you mean `nueron_grad`?" in error


def test_grade_help_states_the_scoring_rule():
    """`grade --help` says when an exercise scores and how partial credit is turned on."""
    from click.testing import CliRunner

    from grader.cli import cli

    result = CliRunner().invoke(cli, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "only when every identity holds" in text
    assert "partial_credit = true" in text


def test_options_before_the_file_still_grade_it(tmp_path):
    """`grade --seed 3 hw.py` grades hw.py like `grade hw.py --seed 3`."""
    from click.testing import CliRunner

    from grader.cli import cli

    path = tmp_path / "hw.py"
    path.write_text("def d_ln_x2(x):\n    return 2 / x\n")
    result = CliRunner().invoke(cli, ["--seed", "3", str(path), "--only", "d_ln_x2", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["seed"] == 3


def test_ci_formats_mark_a_failing_identity_with_a_word_not_the_letter_x():
    """Gradescope, JUnit and Markdown details say FAIL before a failing identity, never `x`."""
    from grader.render._details import identity_details
    from grader.report import IdentityResult

    failed = IdentityResult(name="matches the reference answer", status="failed", message="off")
    raised = IdentityResult(name="runs without raising", status="error", message="boom")
    assert identity_details(failed)[0] == "FAIL matches the reference answer"
    assert identity_details(raised)[0] == "ERR runs without raising"


# -- a file that loads and defines nothing ------------------------------------------------

STUBS = (
    '"""My homework."""\n\nimport numpy as np\n\n\n'
    "def d_ln_x2(x):\n    # Your answer here: replace the next line.\n    raise NotImplementedError\n\n\n"
    'def mse_grad(w, b, X, y):\n    """To do."""\n    raise NotImplementedError("later")\n'
)


def _graded_json(tmp_path, source: str, *more: str):
    """`grade check` of `source` as hw.py with --format json: the exit code and the parsed report."""
    from click.testing import CliRunner

    from grader.cli import cli

    path = tmp_path / "hw.py"
    path.write_text(source)
    args = ["check", str(path), "--format", "json", "--examples", "5", "--jobs", "1", *more]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("", "hw.py is empty"),
        ("\n   \n\t\n", "hw.py is empty"),
        ("# Homework 1\n# TODO: everything\n\n", "hw.py is empty"),
        ('"""Homework 1."""\nimport numpy as np\n', "hw.py is empty"),
        (STUBS, "hw.py holds only stubs"),
    ],
    ids=["zero-bytes", "whitespace", "comments", "docstring-and-import", "stubs"],
)
def test_a_file_that_defines_nothing_loads_with_every_exercise_missing_and_exits_0(tmp_path, source, said):
    """Empty, blank, comment-only, stub-only files: `incomplete`, all 41 missing, said in an error or note."""
    code, report = _graded_json(tmp_path, source)
    assert code == 0
    assert report["status"] == "incomplete"
    statuses = [e["status"] for e in report["exercises"]]
    assert len(statuses) == 41 and set(statuses) == {"missing"}
    # An empty file is an error; stubs (a starter graded as it is) are a note, not an error.
    if source == STUBS:
        assert report["errors"] == []
        said_it = report["notes"][0]
    else:
        [said_it] = report["errors"]
    assert said in said_it and "`grade list`" in said_it
    assert "could not be loaded" not in json.dumps(report)


def test_an_empty_file_under_an_assignment_exits_1_saying_it_is_empty_and_what_was_expected(tmp_path):
    """With an assignment an empty file is still `incomplete`, not unloadable, and the run exits 1."""
    toml = tmp_path / "hw1.toml"
    toml.write_text('seed = 1\nexamples = 5\n\n[exercises.d_ln_x2]\n\n[exercises.mse_grad]\n')
    for source in ("", "# nothing yet\n", STUBS):
        code, report = _graded_json(tmp_path, source, "--assignment", str(toml))
        assert code == 1
        assert report["status"] == "incomplete"
        assert [e["status"] for e in report["exercises"]] == ["missing", "missing"]
        *empty, expected = report["errors"]
        assert "expected the functions `d_ln_x2`, `mse_grad`" in expected
        said = " ".join(empty + report["notes"])
        assert ("hw.py holds only stubs" if source == STUBS else "hw.py is empty") in said


def test_a_file_of_other_functions_gets_no_empty_file_error():
    """Code that defines or runs anything but stubs is not blank: only empty and stub-only files are."""
    from grader.submission.blank import blank

    assert blank("def helper(x):\n    return x\n") is None
    assert blank("def d_ln_x2(x):\n    y = 1\n    raise NotImplementedError\n") is None
    assert blank("print('hi')\n") is None
    assert blank("def broken(:\n") is None
    assert blank("# cell 1\npass\n\n") == "empty"
    assert blank(STUBS) == "stubs"
