"""`grade bundle gradescope`: the autograder zip, and its run_autograder in a fake /autograder."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.assignment import load_assignment
from grader.bundle import PACKAGES, build_gradescope_bundle
from grader.cli import cli
from tests.grader.bundlekit import (
    BROKEN,
    CORRECT,
    EMAIL,
    ROOT,
    WRONG,
    assignment,
    autograder,
    dying_grade,
    gradescope_zip,
    max_score,
    run_autograder,
)

ASSIGNMENT = assignment("Bundle test", visibility={"d_ln_sin_x3_sq": "after_due_date"})


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The assignment file and the zip built from it, once for the module."""
    folder = tmp_path_factory.mktemp("bundle")
    zip_path = gradescope_zip(folder, ASSIGNMENT)
    return folder / "hw1.toml", zip_path


def test_the_zip_holds_the_scripts_the_assignment_and_matgrade_without_caches(bundle):
    """setup.sh and run_autograder are executable; the TOML and matgrade's source are inside."""
    toml, zip_path = bundle
    with zipfile.ZipFile(zip_path) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        assert archive.read("assignment.toml") == toml.read_bytes()
        setup = archive.read("setup.sh").decode()
    for script in ("setup.sh", "run_autograder"):
        mode = infos[script].external_attr >> 16
        assert mode & stat.S_IXUSR and stat.S_ISREG(mode), script
    for name in (
        "matgrade/pyproject.toml",
        "matgrade/README.md",
        "matgrade/grader/cli/__init__.py",
        "matgrade/grader/render/gradescope.py",
        "matgrade/reference/__init__.py",
        "matgrade/exercises/__init__.py",
    ):
        assert name in infos, name
    assert not [n for n in infos if "__pycache__" in n or n.endswith(".pyc")]
    assert (
        '-m venv "$VENV"' in setup and 'pip install -c "$SOURCE/constraints.txt" "$SOURCE/matgrade"' in setup
    )


def test_both_scripts_are_valid_bash(bundle, tmp_path):
    """bash -n accepts setup.sh and run_autograder."""
    _, zip_path = bundle
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path)
    for script in ("setup.sh", "run_autograder"):
        done = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def test_a_correct_submission_gets_the_full_score_with_the_students_seed(bundle, tmp_path):
    """Every exercise passes, the score is the maximum and the seed is that of the email."""
    toml, zip_path = bundle
    results = run_autograder(autograder(tmp_path, zip_path, {"hw1.py": CORRECT}))
    assert results["score"] == max_score(results) == 5.0
    assert all(t["status"] == "passed" for t in results["tests"])
    seed = load_assignment(str(toml)).seed_for(EMAIL)
    assert f"seed {seed}" in results["output"]
    visibility = {t["name"]: t["visibility"] for t in results["tests"]}
    assert visibility == {"d_sin_x2 (scalar)": "visible", "d_ln_sin_x3_sq (scalar)": "after_due_date"}


def test_a_wrong_submission_loses_the_points_of_the_failing_exercise(bundle, tmp_path):
    """A wrong d_sin_x2 fails its test and scores less than the maximum."""
    _, zip_path = bundle
    results = run_autograder(autograder(tmp_path, zip_path, {"hw1.py": WRONG}))
    assert results["score"] == 2.0 < max_score(results)
    status = {t["name"]: t["status"] for t in results["tests"]}
    assert status == {"d_sin_x2 (scalar)": "failed", "d_ln_sin_x3_sq (scalar)": "passed"}


def test_a_submission_with_a_syntax_error_scores_zero_and_says_where(bundle, tmp_path):
    """A file that does not parse still gives a results.json, naming the syntax error."""
    _, zip_path = bundle
    results = run_autograder(autograder(tmp_path, zip_path, {"hw1.py": BROKEN}))
    assert results["score"] == 0
    assert all(t["status"] == "failed" for t in results["tests"])
    assert "syntax error" in results["output"]


def test_an_empty_submission_scores_zero_with_every_exercise_listed(bundle, tmp_path):
    """No .py file gives the fallback: each exercise at 0 of its points and a message."""
    _, zip_path = bundle
    results = run_autograder(autograder(tmp_path, zip_path, {}))
    assert results["score"] == 0
    assert max_score(results) == 5.0
    assert "No .py file was submitted" in results["output"]


def test_several_python_files_are_refused_by_name(bundle, tmp_path):
    """Two .py files give score 0 and a message listing them."""
    _, zip_path = bundle
    results = run_autograder(autograder(tmp_path, zip_path, {"a.py": CORRECT, "b.py": CORRECT}))
    assert results["score"] == 0
    assert "(a.py b.py): upload exactly one" in results["output"]


def test_a_submitted_link_is_refused_by_name_and_never_followed(bundle, tmp_path):
    """A hw1.py that links to a correct file elsewhere scores 0, saying to upload the file itself."""
    _, zip_path = bundle
    elsewhere = tmp_path / "classmate.py"
    elsewhere.write_text(CORRECT)
    root = autograder(tmp_path, zip_path, {"notes.py": "# mine\n"})
    (root / "submission" / "notes.py").unlink()
    (root / "submission" / "hw1.py").symlink_to(elsewhere)
    results = run_autograder(root)
    assert results["score"] == 0 and max_score(results) == 5.0
    assert "hw1.py is a symbolic link" in results["output"]
    assert "Upload the file itself" in results["output"]


def test_a_link_beside_a_regular_file_is_refused_too(bundle, tmp_path):
    """A regular file plus a link to the reference: refused, the link named, nothing graded."""
    import reference

    _, zip_path = bundle
    root = autograder(tmp_path, zip_path, {"hw1.py": CORRECT})
    (root / "submission" / "helper.py").symlink_to(Path(reference.__file__).parent / "elementwise.py")
    results = run_autograder(root)
    assert results["score"] == 0
    assert "helper.py is a symbolic link" in results["output"]


def test_a_linked_folder_is_not_searched_and_the_message_says_why(bundle, tmp_path):
    """A folder link holding a .py is not followed: no file, and the message names links."""
    _, zip_path = bundle
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hw1.py").write_text(CORRECT)
    root = autograder(tmp_path, zip_path, {})
    (root / "submission" / "src").symlink_to(outside)
    results = run_autograder(root)
    assert results["score"] == 0
    assert "symbolic links are not followed" in results["output"]


def test_a_crashing_grade_still_leaves_a_results_file_with_its_error(bundle, tmp_path):
    """When `grade` dies without writing, the fallback carries its stderr."""
    _, zip_path = bundle
    fake = dying_grade(tmp_path / "fake", "grader exploded", 3)
    root = autograder(tmp_path, zip_path, {"hw1.py": CORRECT})
    results = run_autograder(root, path_first=fake)
    assert results["score"] == 0 and max_score(results) == 5.0
    assert "exit 3" in results["output"] and "grader exploded" in results["output"]


def test_a_bad_assignment_is_refused_before_anything_is_written(tmp_path):
    """An unknown exercise exits 2 with the message, and no zip appears."""
    toml = tmp_path / "hw1.toml"
    toml.write_text("[exercises.nope]\n")
    out = tmp_path / "autograder.zip"
    result = CliRunner().invoke(cli, ["bundle", "gradescope", "--assignment", str(toml), "-o", str(out)])
    assert result.exit_code == 2
    assert "unknown exercise 'nope'" in result.output
    assert not out.exists()


def test_the_same_assignment_gives_the_same_zip(bundle, tmp_path):
    """Fixed timestamps and order: bundling twice gives identical bytes."""
    toml, _ = bundle
    first = build_gradescope_bundle(str(toml), str(tmp_path / "first.zip"))
    second = build_gradescope_bundle(str(toml), str(tmp_path / "second.zip"))
    assert first.path.read_bytes() == second.path.read_bytes()


def test_a_notebook_submission_is_graded_and_its_checkpoint_copy_ignored(bundle, tmp_path):
    """One .ipynb (plus Jupyter's .ipynb_checkpoints copy) grades like the .py file."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    text = nbformat.writes(new_notebook(cells=[new_markdown_cell("# hw1"), new_code_cell(CORRECT)]))
    _, zip_path = bundle
    root = autograder(tmp_path, zip_path, {"hw1.ipynb": text})
    (root / "submission" / ".ipynb_checkpoints").mkdir()
    (root / "submission" / ".ipynb_checkpoints" / "hw1-checkpoint.ipynb").write_text(text)
    results = run_autograder(root)
    assert results["score"] == max_score(results) == 5.0


# matgrade's folders of data files (no __init__.py), and the files each holds.
DATA = [
    ("checking/shipped_plans", "*.json"),
    ("service/templates", "*.html"),
    ("service/migrations", "*.mako"),
    ("service/migrations/versions", "*.py"),
]


def packages_only(target: Path) -> Path:
    """`target` holding matgrade's packages and nothing else, as site-packages holds them."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_a_regular_install_is_bundled_with_a_pyproject_written_from_its_metadata(tmp_path):
    """Without pyproject.toml and README.md beside the packages (a regular install), the zip
    gets a pyproject.toml from the installed distribution's metadata and its README."""
    toml = tmp_path / "hw1.toml"
    toml.write_text(ASSIGNMENT)
    site = packages_only(tmp_path / "site-packages")
    made = build_gradescope_bundle(str(toml), str(tmp_path / "a.zip"), root=site)
    with zipfile.ZipFile(made.path) as archive:
        project = tomllib.loads(archive.read("matgrade/pyproject.toml").decode())
        readme = archive.read("matgrade/README.md").decode()
        names = set(archive.namelist())
    assert "matgrade/grader/render/gradescope.py" in names and "matgrade/exercises/py.typed" in names
    dist = metadata.distribution("matgrade")
    assert project["build-system"]["build-backend"] == "setuptools.build_meta"
    assert project["project"]["name"] == "matgrade"
    assert project["project"]["version"] == dist.version
    assert project["project"]["readme"] == "README.md"
    assert project["project"]["dependencies"] == [r for r in dist.requires or [] if "extra" not in r]
    assert project["project"]["scripts"] == {"grade": "grader.cli:main"}
    subpackages = (
        "batch",
        "checking",
        "checking.shipped_plans",  # folders of data files: packages, so that setuptools installs them
        "classreport",
        "cli",
        "exercise",
        "grading",
        "pack",
        "render",
        "sandbox",
        "sandbox.worker",
        "selfcheck",
        "service",
        "service.migrations",
        "service.migrations.versions",
        "service.templates",
        "submission",
    )
    packages = {"grader", *(f"grader.{name}" for name in subpackages), "reference", "exercises", "matgrade"}
    assert set(project["tool"]["setuptools"]["packages"]) == packages
    assert project["tool"]["setuptools"]["package-data"]["grader"] == ["py.typed"]
    data = project["tool"]["setuptools"]["package-data"]
    plans = sorted(p.name for p in (ROOT / "grader" / "checking" / "shipped_plans").glob("*.json"))
    assert data["grader.checking.shipped_plans"] == plans and plans
    assert data["grader.service.templates"] and data["grader.service.migrations"] == ["script.py.mako"]
    assert project["build-system"]["requires"] == ["setuptools>=77"]
    assert project["project"]["license"] == dist.metadata["License-Expression"] == "MIT"
    assert readme.startswith("# matgrade\n") and "grade bundle gradescope" in readme


def venv_on_these_packages(path: Path) -> Path:
    """A fresh venv (no pip of its own) that sees this interpreter's packages after its own,
    so that its installs need no download but its matgrade is the one installed in it."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    site = subprocess.run(
        [str(path / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    # A path in a .pth file is added to sys.path without reading the .pth files in it, so the
    # editable install of the checkout running these tests stays invisible.
    (Path(site) / "zz_matgrade_test_dependencies.pth").write_text("\n".join(ours) + "\n")
    return path / "bin"


def pip_install(bin_dir: Path, source: Path, cwd: Path, env: dict[str, str], *extra: str) -> None:
    """`pip install --no-deps SOURCE` into the venv of `bin_dir`, as a regular (non-editable) install."""
    command = [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-deps", *extra, str(source)]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_the_bundle_of_a_regular_install_installs_and_grades_as_setup_sh_would(tmp_path):
    """`pip install .` (not -e), then `grade bundle gradescope` run outside the checkout,
    gives a zip whose matgrade/ installs with pip and grades a submission to full marks."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # What `pip install .` builds from, copied so that pip's build/ is not written in the checkout.
    checkout = packages_only(tmp_path / "checkout")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, checkout / name)
    outside = tmp_path / "instructor"
    outside.mkdir()
    installed = venv_on_these_packages(tmp_path / "venv")
    pip_install(installed, checkout, outside, env)
    where = subprocess.run(
        [str(installed / "python"), "-c", "import grader; print(grader.__file__)"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(tmp_path / "venv")), where  # the regular install, not the checkout
    (outside / "hw1.toml").write_text(ASSIGNMENT)
    done = subprocess.run(
        [str(installed / "grade"), "bundle", "gradescope", "--assignment", "hw1.toml", "-o", "a.zip"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(outside / "a.zip") as archive:
        names = set(archive.namelist())
    needed = {"setup.sh", "run_autograder", "assignment.toml", "fallback.json", "constraints.txt"}
    needed |= {f"matgrade/{name}" for name in ("pyproject.toml", "README.md", "grader/cli/__init__.py")}
    assert needed <= names
    # setup.sh's install, with this machine's dependencies: pip install -c constraints.txt matgrade/
    root = autograder(tmp_path, outside / "a.zip", {"hw1.py": CORRECT})
    source = root / "source"
    bundled = venv_on_these_packages(root / "venv")
    pip_install(bundled, source / "matgrade", source, env, "-c", str(source / "constraints.txt"))
    version = subprocess.run(
        [str(bundled / "grade"), "--version"], env=env, capture_output=True, text=True, check=True
    )
    assert "0.1.0" in version.stdout
    # The data files came through the rebuild: the shipped plans, the service's templates and migrations.
    probe = (
        "import pathlib, grader\n"
        "here = pathlib.Path(grader.__file__).parent\n"
        f"print(here, *(len(list((here / folder).glob(files))) for folder, files in {DATA!r}))\n"
    )
    command = [str(bundled / "python"), "-c", probe]
    shown = subprocess.run(command, cwd=outside, env=env, capture_output=True, text=True, check=True)
    where, *counts = shown.stdout.split()
    assert where.startswith(str(root / "venv")), where  # the bundle's matgrade, not the checkout
    expected = [len(list((ROOT / "grader" / folder).glob(files))) for folder, files in DATA]
    assert [int(n) for n in counts] == expected and all(expected)
    results = run_autograder(root, path_first=bundled)  # run_autograder uses $ROOT/venv/bin/grade
    assert results["score"] == max_score(results) == 5.0


def test_an_offline_bundle_for_a_malformed_python_version_is_refused_before_downloading(bundle, tmp_path):
    """--offline --python 3 exits 2 naming the expected form, and writes no zip."""
    toml, _ = bundle
    out = tmp_path / "offline.zip"
    arguments = ["bundle", "gradescope", "--offline", "--python", "3", "--assignment", str(toml)]
    result = CliRunner().invoke(cli, [*arguments, "-o", str(out)])
    assert result.exit_code == 2
    assert "--python '3': give the image's Python as 3.X, e.g. 3.11" in result.output
    assert not out.exists()


def test_setup_sh_installs_from_the_wheels_without_an_index_when_the_bundle_has_them(bundle, tmp_path):
    """setup.sh takes the offline branch when wheels/ exists: --no-index --find-links wheels/."""
    _, zip_path = bundle
    with zipfile.ZipFile(zip_path) as archive:
        setup = archive.read("setup.sh").decode()
    assert 'if [ -d "$WHEELS" ]; then' in setup
    assert '-m pip install --no-index --find-links "$WHEELS"' in setup
    assert "grade bundle gradescope --offline" in setup  # the advice when the index cannot be reached
