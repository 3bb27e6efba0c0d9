"""An assignment file picks exercises, points, limits, visibility and the seed policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.assignment import load_assignment, parse_assignment
from grader.cli import cli
from grader.errors import UsageError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

HW1 = """
title = "HW1"
seed = "student"
examples = 12
timeout = 0.5
memory = 512
visibility = "after_published"

[exercises.d_sin_x2]
points = 3

[exercises.neuron_grad]
points = 2
visibility = "hidden"
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "hw1.toml"
    path.write_text(text)
    return str(path)


def test_an_assignment_sets_exercises_points_limits_and_visibility(tmp_path):
    """Every key of the file reaches the Options and the visibilities."""
    assignment = load_assignment(write(tmp_path, HW1))
    options = assignment.options("alice")
    assert options.only == ("d_sin_x2", "neuron_grad")
    assert dict(options.points) == {"d_sin_x2": 3.0, "neuron_grad": 2.0}
    assert options.examples == 12
    assert options.limits.call_seconds == 0.5 and options.limits.memory_mb == 512
    assert assignment.visibilities == {"d_sin_x2": "after_published", "neuron_grad": "hidden"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("exampels = 3\n[exercises.d_sin_x2]\n", "unknown key 'exampels'; did you mean 'examples'"),
        ("[exercises.d_sin_x3]\n", "unknown exercise 'd_sin_x3'; did you mean 'd_sin_x2'"),
        ("[exercises.d_sin_x2]\npoint = 2\n", "unknown key 'point'; did you mean 'points'"),
        ("[exercises.d_sin_x2]\nvisibility = 'secret'\n", "visibility must be one of hidden"),
        ("seed = 'random'\n[exercises.d_sin_x2]\n", 'seed must be "student" or an integer'),
        ("examples = 0\n[exercises.d_sin_x2]\n", "examples must be an integer >= 1"),
        ("title = 'x'\n", "no exercises"),
        ("[exercises\n", "is not valid TOML"),
    ],
)
def test_a_wrong_assignment_is_a_usage_error_that_says_what_is_wrong(tmp_path, text, expected):
    """Unknown keys, unknown exercises and bad values raise UsageError naming the problem."""
    with pytest.raises(UsageError, match=None) as info:
        load_assignment(write(tmp_path, text))
    assert expected in str(info.value)


def test_the_cli_exits_two_for_a_bad_assignment(tmp_path):
    """grade --assignment with an unknown exercise prints the message and exits 2."""
    path = write(tmp_path, "[exercises.nope]\n")
    result = CliRunner().invoke(cli, [str(EXAMPLES / "correct.py"), "--assignment", path])
    assert result.exit_code == 2
    assert "unknown exercise 'nope'" in result.output


def test_a_student_seed_is_reproducible_and_differs_between_students():
    """seed = "student" gives the same seed for the same name, different ones for others."""
    assignment = parse_assignment({"seed": "student", "exercises": {"d_sin_x2": {}}})
    seeds = {name: assignment.seed_for(name) for name in ("alice", "bob", "carol", "dave")}
    assert len(set(seeds.values())) == 4
    assert assignment.seed_for("alice") == seeds["alice"]
    fixed = parse_assignment({"seed": 1234, "exercises": {"d_sin_x2": {}}})
    assert fixed.seed_for("alice") == fixed.seed_for("bob") == 1234


def test_points_and_student_seed_flow_into_the_report(tmp_path):
    """The report's max_score is the assignment's points; the seed is the student's, byte-stable."""
    path = write(tmp_path, HW1)
    args = [str(EXAMPLES / "correct.py"), "--assignment", path, "--jobs", "1", "--format", "json"]
    first = CliRunner().invoke(cli, [*args, "--student", "alice"], catch_exceptions=False)
    again = CliRunner().invoke(cli, [*args, "--student", "alice"], catch_exceptions=False)
    other = CliRunner().invoke(cli, [*args, "--student", "bob"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert report["max_score"] == 5.0 and report["score"] == 5.0
    assert [e["max_score"] for e in report["exercises"]] == [3.0, 2.0]
    assert first.output == again.output
    assignment = load_assignment(path)
    assert report["seed"] == assignment.seed_for("alice")
    assert json.loads(other.output)["seed"] == assignment.seed_for("bob") != report["seed"]


def test_only_cannot_be_combined_with_an_assignment(tmp_path):
    """--only with --assignment is a usage error: the assignment decides the exercises."""
    path = write(tmp_path, HW1)
    result = CliRunner().invoke(
        cli, [str(EXAMPLES / "correct.py"), "--assignment", path, "--only", "neuron"]
    )
    assert result.exit_code == 2
