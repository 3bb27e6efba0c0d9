"""GitHub Classroom: the workflow of `grade init github-classroom`, its steps run as Actions runs
them, and their results read by the reporter: by its contract as read in its source always, and
by its own code (classroom-resources/autograding-grading-reporter) when MATGRADE_CLASSROOM_REPORTER
names a checkout of it with its npm dependencies installed (it is not on npm, and GitHub is not
reachable from CI: docs/platforms.md)."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from grader.assignment import load_assignment
from grader.cli import cli
from tests.grader.bundlekit import (
    BROKEN,
    EXAMPLES,
    POINTS,
    VENV_BIN,
    assignment,
    dying_grade,
    search_path,
    without_chain_rule,
)

yaml = pytest.importorskip("yaml", reason="PyYAML reads the workflow: pip install 'matgrade[platforms]'")

ASSIGNMENT = assignment("Classroom test", points={**POINTS, "neuron_grad": 4})
CORRECT = (EXAMPLES / "correct.py").read_text()
WRONG_SCALAR = without_chain_rule(CORRECT)
ACTOR = "alice"


def repository(tmp_path: Path, submission: str, *options: str) -> Path:
    """A student's repository made from the template: the generated files and hw1.py."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "hw1.toml").write_text(ASSIGNMENT)
    arguments = ["init", "github-classroom", str(repo), "--assignment", str(repo / "hw1.toml")]
    result = CliRunner().invoke(cli, [*arguments, "--submission", "hw1.py", *options])
    assert result.exit_code == 0, result.output
    (repo / "hw1.py").write_text(submission)
    return repo


def workflow(repo: Path) -> dict[str, Any]:
    parsed: dict[str, Any] = yaml.safe_load((repo / ".github" / "workflows" / "classroom.yml").read_text())
    return parsed


def run_steps(repo: Path, path_first: Path = VENV_BIN) -> tuple[str, dict[str, str]]:
    """Each runner step's script run by bash as Actions runs it; (runners input, env of the reporter)."""
    steps = workflow(repo)["jobs"]["run-autograding-tests"]["steps"]
    reporter = steps[-1]
    env: dict[str, str] = {}
    outputs: dict[str, str] = {}
    for step in steps:
        if "id" not in step:
            continue
        script = step["run"].replace("${{ github.actor }}", ACTOR)
        output_file = repo / f".output-{step['id']}"
        output_file.write_text("")
        variables = {
            **os.environ,
            "GITHUB_OUTPUT": str(output_file),
            "PATH": search_path(path_first),
        }
        command = ["bash", "-e", "-c", script]
        done = subprocess.run(command, cwd=repo, env=variables, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        name, _, value = output_file.read_text().strip().partition("=")
        assert name == "result"
        outputs[step["id"]] = value
    for key, expression in reporter["env"].items():
        step_id = re.fullmatch(r"\$\{\{ steps\.(\w+)\.outputs\.result \}\}", expression)
        assert step_id is not None, expression
        env[key] = outputs[step_id[1]]
    return reporter["with"]["runners"], env


def contract(runners: str, env: dict[str, str]) -> dict[str, Any]:
    """What the reporter does with the results, as its source (src/*.js) does it, checked on the way."""
    total = maximum = 0.0
    failed = errored = False
    for runner in runners.split(","):
        assert re.fullmatch(r"[a-zA-Z0-9]+", runner)  # its pattern for the runners input
        result = json.loads(base64.b64decode(env[f"{runner.strip().upper()}_RESULTS"]).decode("utf-8"))
        assert result["status"] in ("pass", "fail", "error")
        assert isinstance(result["max_score"], int | float) and result["max_score"] > 0
        for test in result["tests"]:
            assert isinstance(test["name"], str) and test["status"] in ("pass", "fail", "error")
            assert isinstance(test["score"], int | float) and isinstance(test["line_no"], int)
            assert isinstance(test["test_code"], str) and isinstance(test.get("message", ""), str)
        maximum += result["max_score"]
        total += sum(test["score"] for test in result["tests"])
        failed |= result["status"] == "fail"
        errored |= result["status"] == "error"
    return {"points": f"Points {total:g}/{maximum:g}", "failed": failed or errored}


def test_the_workflow_has_a_runner_per_set_and_a_reporter_reading_each(tmp_path):
    """Two sets, two runner steps with ids of letters only, each read by the reporter's env."""
    repo = repository(tmp_path, CORRECT)
    spec = workflow(repo)
    assert spec["name"] == "Autograding Tests" and spec["permissions"]["checks"] == "write"
    steps = spec["jobs"]["run-autograding-tests"]["steps"]
    ids = [step["id"] for step in steps if "id" in step]
    assert ids == ["scalar", "neuron"]
    reporter = steps[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["with"]["runners"] == "scalar,neuron"
    assert set(reporter["env"]) == {"SCALAR_RESULTS", "NEURON_RESULTS"}


def test_each_sets_assignment_keeps_the_settings_and_splits_the_points(tmp_path):
    """The per-set TOML files load, keep title, seed and examples, and their points add up."""
    repo = repository(tmp_path, CORRECT)
    whole = load_assignment(str(repo / "hw1.toml"))
    parts = [load_assignment(str(p)) for p in sorted((repo / ".github" / "matgrade").glob("*.toml"))]
    names = [sorted(e.name for e in p.exercises) for p in parts]
    assert names == [["neuron_grad"], ["d_ln_sin_x3_sq", "d_sin_x2"]]
    assert sum(e.points for p in parts for e in p.exercises) == 9
    assert all(p.seed_for(ACTOR) == whole.seed_for(ACTOR) and p.examples == whole.examples for p in parts)


def test_a_correct_submission_gives_the_reporter_all_points(tmp_path):
    """Both runners pass: the reporter would notice Points 9/9 and not fail the job."""
    runners, env = run_steps(repository(tmp_path, CORRECT))
    assert contract(runners, env) == {"points": "Points 9/9", "failed": False}


def test_a_wrong_answer_costs_its_points_and_fails_the_job(tmp_path):
    """A wrong d_sin_x2 (3 points): Points 6/9, and the job fails."""
    runners, env = run_steps(repository(tmp_path, WRONG_SCALAR))
    assert contract(runners, env) == {"points": "Points 6/9", "failed": True}


def test_a_grader_that_writes_nothing_gives_every_runner_a_fallback_error(tmp_path):
    """A `grade` that dies without output: each step outputs its fallback, 0 of its points, error."""
    fake = dying_grade(tmp_path / "fake", "Killed", 137)
    runners, env = run_steps(repository(tmp_path, CORRECT), path_first=fake)
    assert contract(runners, env) == {"points": "Points 0/9", "failed": True}
    scalar = json.loads(base64.b64decode(env["SCALAR_RESULTS"]))
    assert scalar["status"] == "error" and "gave no result for the scalar exercises" in scalar["message"]


REPORTER = os.environ.get("MATGRADE_CLASSROOM_REPORTER")


def run_reporter(runners: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The reporter's own src/main.js under node, its inputs as Actions passes them."""
    if not REPORTER or not (Path(REPORTER) / "src" / "main.js").is_file():
        reason = "set MATGRADE_CLASSROOM_REPORTER to a checkout of the reporter (npm ci --omit=dev done)"
        print(f"skipped: {reason}", file=sys.stderr)
        pytest.skip(reason)
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node (apt-get install nodejs)")
    variables = {"PATH": os.environ.get("PATH", ""), "INPUT_RUNNERS": runners, **env}
    return subprocess.run([node, "src/main.js"], cwd=REPORTER, env=variables, capture_output=True, text=True)


def test_the_reporters_own_code_notices_all_points_for_a_correct_submission(tmp_path):
    """The real reporter prints Points 9/9 and the report notice, and exits 0."""
    done = run_reporter(*run_steps(repository(tmp_path, CORRECT)))
    assert "::notice title=Autograding complete::Points 9/9" in done.stdout
    assert '::notice title=Autograding report::{"totalPoints":9,"maxPoints":9}' in done.stdout
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_reporters_own_code_notices_the_points_of_a_wrong_submission_and_fails(tmp_path):
    """The real reporter prints Points 6/9, marks d_sin_x2 failed and fails the job."""
    done = run_reporter(*run_steps(repository(tmp_path, WRONG_SCALAR)))
    assert "::notice title=Autograding complete::Points 6/9" in done.stdout
    assert "❌ d_sin_x2 (scalar)" in done.stdout and "✅ neuron_grad (neuron)" in done.stdout
    assert "::error::Some tests failed." in done.stdout
    assert done.returncode == 1


def test_the_reporters_own_code_reports_a_broken_file_as_zero_and_errors(tmp_path):
    """A syntax error: every runner reports status error, the notice is Points 0/9, the job fails."""
    done = run_reporter(*run_steps(repository(tmp_path, BROKEN)))
    assert "::notice title=Autograding complete::Points 0/9" in done.stdout
    assert "::error::Some tests errored." in done.stdout and done.returncode == 1


def test_the_reporters_own_code_reads_the_fallback_of_a_grader_that_died(tmp_path):
    """With no result from `grade`, the reporter still prints each runner's error and Points 0/9."""
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "grade").write_text("#!/bin/sh\nexit 137\n")
    (fake / "grade").chmod(0o755)
    done = run_reporter(*run_steps(repository(tmp_path, CORRECT), path_first=fake))
    assert "::notice title=Autograding complete::Points 0/9" in done.stdout
    assert "Error: matgrade gave no result for the scalar exercises" in done.stdout
    assert done.returncode == 1


def test_one_runner_per_exercise_makes_the_reporters_table_agree_with_its_notice(tmp_path):
    """--per exercise: three runners; the real reporter's table total (which weighs a runner's
    tests equally) is then the notice's Points 6/9, as it is not with one runner per set."""
    repo = repository(tmp_path, WRONG_SCALAR, "--per", "exercise")
    runners, env = run_steps(repo)
    assert runners == "dsinx2,dlnsinx3sq,neurongrad"
    assert contract(runners, env) == {"points": "Points 6/9", "failed": True}
    done = run_reporter(runners, env)
    assert "::notice title=Autograding complete::Points 6/9" in done.stdout
    table = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)
    assert re.search(r"Total:\s+│ 6\s+│ 9\s", table), table


def test_init_github_classroom_without_an_assignment_is_a_usage_error(tmp_path):
    """No --assignment: exit 2, saying the sets of the assignment become the runners."""
    result = CliRunner().invoke(cli, ["init", "github-classroom", str(tmp_path)])
    assert result.exit_code == 2
    assert "needs --assignment FILE" in result.output
    assert not (tmp_path / ".github").exists()


def test_the_test_code_the_reporter_shows_reproduces_the_runners_score(tmp_path):
    """Each test's test_code is `grade FILE --assignment ASSIGNMENT --seed N`; run with the runner's
    file it gives the runner's score and seed again."""
    repo = repository(tmp_path, WRONG_SCALAR)
    _, env = run_steps(repo)
    scalar = json.loads(base64.b64decode(env["SCALAR_RESULTS"]))
    codes = {test["test_code"] for test in scalar["tests"]}
    assert len(codes) == 1
    command = codes.pop().split()
    assert command[:4] == ["grade", "FILE", "--assignment", "ASSIGNMENT"] and command[4] == "--seed"
    arguments = ["hw1.py", "--assignment", ".github/matgrade/scalar.toml", "--seed", command[5]]
    arguments += ["--format", "json"]
    done = subprocess.run(
        [str(VENV_BIN / "grade"), *arguments], cwd=repo, capture_output=True, text=True, timeout=300
    )
    report = json.loads(done.stdout)
    assert report["seed"] == int(command[5])
    assert report["score"] == sum(test["score"] for test in scalar["tests"]) == 2.0
