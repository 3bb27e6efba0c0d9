"""`grade init github-classroom`: the workflow a course copies into its template repository.

GitHub Classroom's reporter (classroom-resources/autograding-grading-reporter) reads one
`result` per runner step: the base64 JSON that `grade --format github` prints.  Classroom
records the sum of every runner's tests[].score over the sum of their max_score (the
`::notice title=Autograding complete::Points X/Y` line); the reporter's own table weighs each
test of a runner equally instead.  One runner per exercise set splits the points by set, so
that the job log shows how each set went, and within a set of equal points the table agrees
with the notice; one runner per exercise (`per="exercise"`) makes them agree always.

Each runner grades the submission against its own assignment file, `.github/matgrade/<set>.toml`:
the course's assignment cut down to that set's exercises (same title, seed and limits, so each
exercise's inputs are those of a whole run).  When `grade` writes no result (it crashed, was
killed, or is not installed) the step outputs a fallback result written here: status `error`,
0 of the set's points and a message, so the reporter still reports every runner.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass

from grader.assignment import Assignment

__all__ = ["ClassroomFiles", "classroom_files"]

_FOLDER = ".github/matgrade"
_WORKFLOW = ".github/workflows/classroom.yml"


@dataclass(frozen=True, slots=True)
class ClassroomFiles:
    """The files to commit: (path in the repository, text), and the runner id of each set."""

    files: tuple[tuple[str, str], ...]
    runners: tuple[tuple[str, str], ...]  # (runner id, set)


def _string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a TOML basic string


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _set_assignment(assignment: Assignment, names: list[str]) -> str:
    """The TOML of `assignment` with only the exercises `names`, every other setting kept."""
    lines = [
        "# Written by `grade init github-classroom`: one set of the course's assignment.",
        f"title = {_string(assignment.title)}",
        f"seed = {_string('student') if assignment.seed is None else assignment.seed}",
        f"examples = {assignment.examples}",
        f"timeout = {_number(assignment.timeout)}",
        f"exercise_timeout = {_number(assignment.exercise_timeout)}",
        f"cell_timeout = {_number(assignment.cell_timeout)}",
        f"memory = {assignment.memory}",
        f"partial_credit = {'true' if assignment.partial_credit else 'false'}",
    ]
    for exercise in assignment.exercises:
        if exercise.name in names:
            lines += ["", f"[exercises.{exercise.name}]", f"points = {_number(exercise.points)}"]
    return "\n".join(lines) + "\n"


def _fallback(set_name: str, points: float) -> str:
    """The base64 result of a runner whose `grade` gave none: 0 of `points`, status error."""
    message = (
        f"matgrade gave no result for the {set_name} exercises (it crashed, was stopped, or is not "
        "installed): see the log of this step, run grade on your file locally, or tell your instructor"
    )
    result = {
        "version": 1,
        "status": "error",
        "message": message,
        "max_score": points,
        "tests": [
            {
                "name": f"{set_name} exercises",
                "status": "error",
                "score": 0,
                "message": message,
                "test_code": "",
                "filename": "",
                "line_no": 0,
                "duration": 0,
            }
        ],
    }
    return base64.b64encode(json.dumps(result, separators=(",", ":")).encode()).decode()


def _runner_id(set_name: str) -> str:
    # The reporter reads $<ID>_RESULTS and accepts ids of letters and digits only.
    return re.sub(r"[^A-Za-z0-9]", "", set_name) or "matgrade"


def classroom_files(
    assignment: Assignment, submission: str, *, per: str = "set", python: str = "3.12"
) -> ClassroomFiles:
    """The workflow and one assignment file per runner: per exercise set of `assignment`, or
    per exercise when `per` is "exercise".

    `submission` is the file students commit (a .py or .ipynb path in their repository).
    """
    from exercises import by_name

    known = by_name()
    sets: dict[str, list[str]] = {}
    for exercise in assignment.exercises:
        group = exercise.name if per == "exercise" else known[exercise.name].set
        sets.setdefault(group, []).append(exercise.name)
    files: list[tuple[str, str]] = []
    runners: list[tuple[str, str]] = []
    steps: list[str] = []
    for set_name, names in sets.items():
        runner = _runner_id(set_name)
        path = f"{_FOLDER}/{set_name}.toml"
        files.append((path, _set_assignment(assignment, names)))
        runners.append((runner, set_name))
        points = sum(e.points for e in assignment.exercises if e.name in names)
        steps.append(
            f"""      - name: {set_name} ({_number(points)} points)
        id: {runner}
        run: |
          grade {submission} --assignment {path} --student "${{{{ github.actor }}}}" \\
            --format github > {runner}.b64 || true
          if ! grep -q . {runner}.b64; then
            echo {_fallback(set_name, points)} > {runner}.b64
          fi
          echo "result=$(cat {runner}.b64)" >> "$GITHUB_OUTPUT"
"""
        )
    env = "".join(
        f"          {runner.upper()}_RESULTS: \"${{{{ steps.{runner}.outputs.result }}}}\"\n"
        for runner, _ in runners
    )
    total = _number(sum(e.points for e in assignment.exercises))
    unit = "exercise" if per == "exercise" else "exercise set"
    workflow = (
        f"""# Written by `grade init github-classroom`: GitHub Classroom's autograding with matgrade,
# one runner per {unit} of the assignment ({len(runners)} runners, {total} points).
name: Autograding Tests
on: [push, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "{python}"
      - name: Install matgrade
        run: pip install matgrade   # or the course's pin: pip install matgrade==VERSION
"""
        + "".join(steps)
        + f"""      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
{env}        with:
          runners: {",".join(runner for runner, _ in runners)}
"""
    )
    files.insert(0, (_WORKFLOW, workflow))
    return ClassroomFiles(files=tuple(files), runners=tuple(runners))
