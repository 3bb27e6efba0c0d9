"""What the platform tests share: one small assignment, the submissions graded against it, and the
folders Gradescope, PrairieLearn and GitHub Classroom lay out around a grader.

Not a test module: test_bundle.py, test_gradescope_chroot.py, test_prairielearn.py,
test_classroom.py and test_pack_cli.py import it.  The files are written the way the platforms
write them; the Gradescope zip is built by the real `grade bundle gradescope`, and its
run_autograder run by bash as Gradescope runs it (here without a chroot: test_gradescope_chroot.py
has the stock root file systems).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from grader.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
VENV_BIN = Path(sys.executable).parent  # where the `grade` of the running matgrade is
EMAIL = "alice@example.edu"

# The two scalar exercises CORRECT answers, with their points (5 in all).
POINTS = {"d_sin_x2": 3, "d_ln_sin_x3_sq": 2}
CORRECT = """import math


def d_sin_x2(x):
    return 2 * x * math.cos(x**2)


def d_ln_sin_x3_sq(x):
    return 6 * x**2 * math.cos(x**3) / math.sin(x**3)
"""
BROKEN = "def d_sin_x2(x:\n    return x\n"
SLOW_TO_LOAD = "import time\ntime.sleep(60)\n"

# Gradescope's /autograder/submission_metadata.json for one student (the fields matgrade reads
# and those around them, as Gradescope's documentation shows them).
SUBMISSION_METADATA = {
    "id": 123,
    "created_at": "2026-12-07T00:00:00.000000-08:00",
    "assignment": {"id": 1, "title": "hw1", "total_points": "5.0"},
    "submission_method": "upload",
    "users": [{"email": EMAIL, "id": 42, "name": "Alice"}],
    "previous_submissions": [],
}


def assignment(
    title: str, *, points: Mapping[str, int] = POINTS, visibility: Mapping[str, str] | None = None
) -> str:
    """An assignment file: `title`, the students' seed, 10 examples, 2 s a call, 10 s an exercise,
    and each exercise of `points` with its points and, where `visibility` names it, its visibility."""
    lines = [f"title = {json.dumps(title)}", 'seed = "student"', "examples = 10", "timeout = 2"]
    lines.append("exercise_timeout = 10")
    for name, worth in points.items():
        lines += ["", f"[exercises.{name}]", f"points = {worth}"]
        if visibility and name in visibility:
            lines.append(f"visibility = {json.dumps(visibility[name])}")
    return "\n".join(lines) + "\n"


def without_chain_rule(source: str) -> str:
    """`source` with d_sin_x2 missing the inner derivative 2x: that exercise fails, the rest pass."""
    wrong = source.replace("return 2 * x * math.cos(x**2)", "return math.cos(x**2)")
    assert wrong != source, "no d_sin_x2 of CORRECT's form in the source"
    return wrong


WRONG = without_chain_rule(CORRECT)


def search_path(*first: Path) -> str:
    """PATH with the folders `first`, then the running matgrade's, then this process's PATH."""
    return os.pathsep.join([*(str(folder) for folder in first), str(VENV_BIN), os.environ.get("PATH", "")])


def dying_grade(folder: Path, stderr: str, code: int) -> Path:
    """`folder` holding a `grade` that writes nothing but `stderr` and exits `code`, to put first on PATH."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "grade").write_text(f"#!/bin/sh\necho '{stderr}' >&2\nexit {code}\n")
    (folder / "grade").chmod(0o755)
    return folder


def gradescope_zip(folder: Path, text: str, *options: str) -> Path:
    """FOLDER/autograder.zip built by `grade bundle gradescope` (with `options`) from FOLDER/hw1.toml
    holding `text`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hw1.toml").write_text(text)
    zip_path = folder / "autograder.zip"
    arguments = ["bundle", "gradescope", "--assignment", str(folder / "hw1.toml"), "-o", str(zip_path)]
    result = CliRunner().invoke(cli, [*arguments, *options])
    assert result.exit_code == 0, result.output
    return zip_path


def extract(zip_path: Path, target: Path) -> None:
    """The zip's members into `target` with their modes, as unzip keeps them."""
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            path = archive.extract(info, target)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(path, mode)


def submit_to(autograder: Path, files: Mapping[str, str]) -> None:
    """`files` into AUTOGRADER/submission, with Gradescope's submission_metadata.json beside it."""
    for name, text in files.items():
        (autograder / "submission" / name).write_text(text)
    (autograder / "submission_metadata.json").write_text(json.dumps(SUBMISSION_METADATA))


def autograder(tmp_path: Path, zip_path: Path, files: Mapping[str, str]) -> Path:
    """A folder laid out like /autograder with the zip in source/ and `files` submitted."""
    root = tmp_path / "autograder"
    for name in ("source", "submission", "results"):
        (root / name).mkdir(parents=True)
    extract(zip_path, root / "source")
    submit_to(root, files)
    return root


def run_autograder(root: Path, path_first: Path = VENV_BIN) -> dict[str, Any]:
    """Run source/run_autograder as Gradescope would, `grade` from PATH; the results.json."""
    if not (VENV_BIN / "grade").exists():
        pytest.skip("no grade executable beside the running Python")
    env = {
        **os.environ,
        "AUTOGRADER_ROOT": str(root),
        "PATH": search_path(path_first),
    }
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    check_gradescope_results(results)
    return results


def check_gradescope_results(results: dict[str, Any]) -> None:
    """The fields Gradescope reads have the types its specification gives."""
    assert isinstance(results["score"], int | float) and not isinstance(results["score"], bool)
    assert isinstance(results["output"], str)
    assert results["visibility"] in ("hidden", "after_due_date", "after_published", "visible")
    assert isinstance(results["tests"], list) and results["tests"]
    for test in results["tests"]:
        assert isinstance(test["name"], str)
        assert isinstance(test["score"], int | float) and isinstance(test["max_score"], int | float)
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert isinstance(test["output"], str)
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))


def max_score(results: dict[str, Any]) -> float:
    """The points a Gradescope results.json could give: the sum of its tests' maxima."""
    return float(sum(t["max_score"] for t in results["tests"]))


def prairielearn_folder(
    root: Path, files: Mapping[str, str], *, assignment: str | None, data: Mapping[str, object]
) -> Path:
    """ROOT laid out like the /grade PrairieLearn mounts: tests/assignment.toml (unless `assignment`
    is None), student/ with `files`, data/data.json holding `data`."""
    for name in ("tests", "student", "data"):
        (root / name).mkdir(parents=True)
    if assignment is not None:
        (root / "tests" / "assignment.toml").write_text(assignment)
    for name, text in files.items():
        (root / "student" / name).write_text(text)
    (root / "data" / "data.json").write_text(json.dumps(data))
    return root
