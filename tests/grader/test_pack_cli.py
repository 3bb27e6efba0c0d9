"""The `grade` command with packs: `grade pack check`, --pack, assignments, list, start, batch, bundle."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import cli
from grader.pack.registry import forget
from tests.grader.bundlekit import autograder, run_autograder

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COURSE = str(EXAMPLES / "course_pack.py")
HEADER = "import numpy as np\nimport sympy as sp\nfrom matgrade.pack import *\n"


@pytest.fixture(autouse=True)
def _unloaded():
    """Every test starts and ends with no pack in the catalogue."""
    forget()
    yield
    forget()


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_pack_check_accepts_every_reference_of_the_course_pack():
    """`grade pack check` says ok per exercise and exits 0."""
    result = invoke("pack", "check", COURSE, "--examples", "20")
    assert result.exit_code == 0, result.output
    assert result.output.count("  ok  ") == 4


def test_pack_check_refuses_a_wrong_reference_naming_it_and_the_input(tmp_path):
    """A tanh derivative without the square (1 - y instead of 1 - y^2) is refused: exit 1, name, input."""
    pack = tmp_path / "bad.py"
    pack.write_text(
        HEADER + 'pack = Pack("bad")\nn = size("n")\n'
        'pack.add("tanh_grad", params=[vector("x", n)], value=vector("y", n), numpy=np.tanh,\n'
        '         derivative=lambda x: np.diag(1 - np.tanh(x)), task="Return dy/dx of y = tanh(x).")\n'
        'pack.add("square_grad", params=[vector("x", n)], numpy=lambda x: x @ x,\n'
        '         derivative=lambda x: 2 * x, task="Return the gradient of x . x.")\n'
    )
    result = invoke("pack", "check", str(pack), "--examples", "50")
    assert result.exit_code == 1, result.output
    assert "REFUSED  tanh_grad: dy/dx disagrees with finite differences" in result.output
    assert "x = [" in result.output
    assert "ok       square_grad" in result.output
    assert "1 reference(s) refused" in result.output


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('pack = Pack("p")\npack.add("f", params=[scalar("x")], sympy=sp.sin\n', "syntax error"),
        (
            'pack = Pack("p")\npack.add("f", params=[scalar("x")], sympy=sp.sin, task="t", points=-1)\n',
            "field `points` must be a number >= 0",
        ),
    ],
)
def test_a_malformed_pack_exits_2_with_a_message_and_no_traceback(tmp_path, body, expected):
    """Both `grade pack check` and `grade FILE --pack` print the field's message and exit 2."""
    pack = tmp_path / "p.py"
    pack.write_text(HEADER + body)
    for args in (("pack", "check", str(pack)), (str(EXAMPLES / "course_correct.py"), "--pack", str(pack))):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert expected in result.output
        assert "Traceback" not in result.output
        forget()


def test_a_missing_pack_file_is_a_usage_error():
    """A --pack path that does not exist says so, exit 2."""
    result = invoke(str(EXAMPLES / "course_correct.py"), "--pack", "no_such_pack.py")
    assert result.exit_code == 2
    assert "no pack file" in result.output


@pytest.mark.slow  # grades whole files: run by .ci/run, left out of the README's command
def test_grade_with_pack_exits_0_for_the_correct_file_and_1_for_the_mistakes():
    """The README's commands: course_correct.py passes, course_mistakes.py fails with each mistake named."""
    ok = invoke(str(EXAMPLES / "course_correct.py"), "--pack", COURSE, "--examples", "20")
    assert ok.exit_code == 0, ok.output
    forget()
    bad = invoke(str(EXAMPLES / "course_mistakes.py"), "--pack", COURSE, "--examples", "20")
    assert bad.exit_code == 1
    for name in ("[wrong-rule]", "[sign]", "[transpose]", "[factor]"):
        assert name in bad.output


def test_an_assignment_names_its_packs_relative_to_itself(tmp_path, monkeypatch):
    """packs = ["course_pack.py"] resolves beside the TOML, whatever the working folder."""
    folder = tmp_path / "hw"
    folder.mkdir()
    shutil.copy(COURSE, folder / "course_pack.py")
    (folder / "hw.toml").write_text(
        'title = "HW"\nseed = 3\nexamples = 15\npacks = ["course_pack.py"]\n\n'
        "[exercises.least_squares_grad]\npoints = 2\n\n[exercises.d_sin_x2]\n"
    )
    monkeypatch.chdir(tmp_path)
    result = invoke(str(EXAMPLES / "course_correct.py"), "--assignment", "hw/hw.toml", "--format", "json")
    assert result.exit_code == 0, result.output  # all attempted passed; d_sin_x2 is missing
    assert '"status": "missing"' in result.output
    assert '"name": "least_squares_grad"' in result.output and '"max_score": 2.0' in result.output


def test_an_assignment_with_a_bad_packs_value_says_what_is_allowed(tmp_path):
    """packs must be a list of paths."""
    toml = tmp_path / "hw.toml"
    toml.write_text('packs = "course_pack.py"\n[exercises.d_sin_x2]\n')
    result = invoke(str(EXAMPLES / "course_correct.py"), "--assignment", str(toml))
    assert result.exit_code == 2
    assert "packs must be a list of paths" in result.output


def test_list_and_start_show_the_pack_exercises_with_their_inputs(tmp_path, monkeypatch):
    """`grade list --pack` lists the set; `grade start --pack` writes stubs that name their inputs."""
    listed = invoke("list", "--pack", COURSE)
    assert listed.exit_code == 0
    assert "course (4): softmax, cross-entropy" in listed.output
    assert "least_squares_grad(X, W, Y)" in listed.output
    monkeypatch.chdir(tmp_path)
    started = invoke("start", "--pack", COURSE)
    assert started.exit_code == 0, started.output
    text = (tmp_path / "course.py").read_text()
    assert "def tanh_layer_jacobian(W, x, b):" in text
    assert "W: shape (m, n), m = 1..5; n = 1..6; entries in [-1, 1]" in text
    assert f"grade course.py --pack {COURSE}" in text
    notebook = invoke("start", "--pack", COURSE, "--notebook")
    assert notebook.exit_code == 0 and (tmp_path / "course.ipynb").is_file()


def test_a_built_in_name_in_a_pack_is_refused_on_the_command_line(tmp_path):
    """A pack exercise named like a built-in one exits 2 with the rename advice."""
    pack = tmp_path / "p.py"
    pack.write_text(
        HEADER + 'pack = Pack("p")\npack.add("neuron_grad", params=[scalar("x")], sympy=sp.sin, task="t")\n'
    )
    result = invoke("list", "--pack", str(pack))
    assert result.exit_code == 2
    assert "'neuron_grad' is already a built-in exercise" in result.output


@pytest.mark.slow  # grades whole files: run by .ci/run, left out of the README's command
def test_batch_grades_a_class_against_a_pack(tmp_path):
    """`grade batch --pack` writes a gradebook with the pack's exercises as columns."""
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(EXAMPLES / "course_correct.py", subs / "alice.py")
    shutil.copy(EXAMPLES / "course_mistakes.py", subs / "bob.py")
    out = tmp_path / "out"
    result = invoke("batch", str(subs), "-o", str(out), "--pack", COURSE, "--examples", "10", "--jobs", "1")
    assert result.exit_code == 0, result.output
    with (out / "gradebook.csv").open() as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert rows["alice"]["score"] == "4" and rows["bob"]["score"] == "0"
    assert "least_squares_grad" in rows["alice"]


@pytest.mark.slow
def test_the_gradescope_bundle_carries_the_pack_and_grades_with_it(tmp_path):
    """The zip holds the pack beside assignment.toml; run_autograder grades a submission against it."""
    folder = tmp_path / "hw"
    folder.mkdir()
    shutil.copy(COURSE, folder / "course_pack.py")
    toml = folder / "hw.toml"
    toml.write_text(
        'title = "HW"\nseed = 3\nexamples = 10\npacks = ["course_pack.py"]\n[exercises.softmax_jacobian]\n'
    )
    zip_path = tmp_path / "ag.zip"
    made = invoke("bundle", "gradescope", "--assignment", str(toml), "-o", str(zip_path))
    assert made.exit_code == 0, made.output
    root = autograder(tmp_path, zip_path, {"answers.py": (EXAMPLES / "course_correct.py").read_text()})
    assert (root / "source" / "course_pack.py").is_file()
    results = run_autograder(root)
    assert results["score"] == 1.0


def test_a_pack_outside_the_assignment_folder_cannot_be_bundled(tmp_path):
    """Its path would not resolve inside the zip: the bundle is refused with what to do."""
    folder = tmp_path / "hw"
    folder.mkdir()
    toml = folder / "hw.toml"
    toml.write_text(f'packs = ["{COURSE}"]\n[exercises.softmax_jacobian]\n')
    result = invoke("bundle", "gradescope", "--assignment", str(toml), "-o", str(tmp_path / "ag.zip"))
    assert result.exit_code == 2
    assert "lies outside the assignment's folder" in result.output


def test_grading_with_a_pack_whose_reference_raises_stops_before_any_student(tmp_path):
    """The pack is checked on loading: a reference that raises is exit 2, the exercise and input named."""
    pack = tmp_path / "raising.py"
    pack.write_text(
        HEADER + 'pack = Pack("raising")\nn = size("n")\n'
        "def deriv(x):\n    if len(x) > 2:\n        raise ValueError('oops')\n    return 2 * x\n"
        'pack.add("sq2", params=[vector("x", n)], numpy=lambda x: float(x @ x), derivative=deriv, task="t")\n'
    )
    answer = tmp_path / "answer.py"
    answer.write_text("def sq2(x):\n    return 2 * x\n")
    result = invoke(str(answer), "--pack", str(pack))
    assert result.exit_code == 2
    assert (
        "exercise 'sq2' is refused, nobody is graded: the reference raised ValueError: oops" in result.output
    )
    assert "on x = [" in result.output
    assert "Traceback" not in result.output
