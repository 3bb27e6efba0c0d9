"""`from matgrade import check` works, and refuses clearly when a student's file shadows a package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import grader
import matgrade

ROOT = Path(__file__).resolve().parents[1]
CORRECT = ROOT / "examples" / "correct.py"


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -c code` run in `cwd`, which heads sys.path as a notebook's folder does."""
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_matgrade_exports_what_grader_exports() -> None:
    """matgrade's public API is grader's, name for name and object for object."""
    assert matgrade.__all__ == grader.__all__
    for name in matgrade.__all__:
        assert getattr(matgrade, name) is getattr(grader, name)
    with pytest.raises(AttributeError):
        matgrade.nothing_of_that_name  # noqa: B018


def test_matgrade_imports_from_a_clean_folder_without_numpy(tmp_path: Path) -> None:
    """In a folder with no shadowing file, `from matgrade import check` works and stays light."""
    probe = (
        "import sys, matgrade\n"
        "print(','.join(m for m in ('numpy', 'sympy', 'hypothesis') if m in sys.modules))\n"
        "from matgrade import check\n"
        "import grader.selfcheck\n"
        "assert check is grader.selfcheck.check\n"
    )
    done = _python(probe, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("name", ["grader", "exercises", "reference"])
def test_a_students_file_shadowing_a_package_is_named_in_an_import_error(tmp_path: Path, name: str) -> None:
    """A `grader.py` (or exercises.py, reference.py) beside the notebook: an ImportError says which
    file, what it hides and what to do, instead of importing the student's file."""
    (tmp_path / f"{name}.py").write_text("def check(f):\n    return 'the student grades themself'\n")
    done = _python("from matgrade import check", tmp_path)
    assert done.returncode != 0
    assert "ImportError: matgrade cannot start" in done.stderr
    assert f"{tmp_path / f'{name}.py'} hides its package `{name}`" in done.stderr
    assert f"Rename {name}.py (for example to my_{name}.py)" in done.stderr
    assert "restart the kernel" in done.stderr


def test_a_shadowing_folder_or_an_already_imported_file_is_refused_too(tmp_path: Path) -> None:
    """A `grader/` package in the folder, or a student's grader imported before matgrade, is named."""
    (tmp_path / "grader").mkdir()
    (tmp_path / "grader" / "__init__.py").write_text("")
    done = _python("import matgrade", tmp_path)
    assert f"{tmp_path / 'grader'} hides its package `grader`" in done.stderr
    (tmp_path / "grader" / "__init__.py").unlink()
    (tmp_path / "grader").rmdir()
    (tmp_path / "exercises.py").write_text("")
    done = _python("import exercises; import matgrade", tmp_path)
    assert f"{tmp_path / 'exercises.py'} hides its package `exercises`" in done.stderr


def test_the_grade_command_is_not_shadowed_by_files_in_the_working_folder(tmp_path: Path) -> None:
    """`grade` runs from the environment's bin/, so grader.py, exercises.py and reference.py in
    the working folder change nothing: it lists and grades as anywhere else."""
    for name in ("grader", "exercises", "reference"):
        (tmp_path / f"{name}.py").write_text("raise SystemExit('the shadowing file was imported')\n")
    grade = Path(sys.executable).parent / "grade"
    listed = subprocess.run([str(grade), "list"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "41 exercises in 7 sets" in listed.stdout.replace("\n", " ")
    graded = subprocess.run(
        [str(grade), str(CORRECT), "--only", "neuron_grad", "--examples", "10"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "status: passed" in graded.stdout
