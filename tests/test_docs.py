"""The documents a user reads stay inside the repository and say what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.checking.diagnosis import HINTS
from grader.report import ExerciseResult, IdentityResult, NotebookRun, Report

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("path", [ROOT / "README.md", *DOCS], ids=lambda p: p.name)
def test_no_document_points_outside_the_repository(path: Path) -> None:
    """The README and docs/ never send a reader to ../shared, which an installed matgrade lacks."""
    text = path.read_text(encoding="utf-8")
    assert "shared/spec" not in text and "../shared" not in text


def test_every_document_the_readme_links_exists() -> None:
    """Each docs/*.md the README names is a file of the repository."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"docs/[\w-]+\.md", readme))
    assert {"docs/exercises.md", "docs/report.md", "docs/architecture.md"} <= named
    for name in named:
        assert (ROOT / name).is_file(), name


def test_docs_report_md_names_every_field_of_the_json_report() -> None:
    """Every key Report.to_dict() writes, down to a notebook's cells, is in docs/report.md."""
    identity = IdentityResult(name="shape", status="failed")
    exercise = ExerciseResult("neuron", "neuron", "failed", 0.0, 1.0, (identity,))
    report = Report("hw.ipynb", 1, (exercise,), notebook=NotebookRun(code_cells=1))
    data = report.to_dict()
    keys = set(data) | set(data["exercises"][0]) | set(data["exercises"][0]["identities"][0])
    keys |= set(data["notebook"]) | {"inputs", "expected", "got", "cell", "code_cell", "whole_cell"}
    text = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    for key in keys:
        assert f'"{key}"' in text, key


def test_docs_report_md_lists_every_diagnosis() -> None:
    """Each mistake class the grader can name has a row in docs/report.md's table."""
    text = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    for name in HINTS:
        assert f"| `{name}` |" in text, name


def test_docs_architecture_md_names_every_package_of_the_flow() -> None:
    """Each package of grader/ and the top-level packages appear in docs/architecture.md."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = [p.name for p in sorted((ROOT / "grader").iterdir()) if (p / "__init__.py").is_file()]
    assert packages, "grader/ has no packages"
    for name in packages:
        assert f"grader/{name}/" in text, name
    for name in ("reference/", "exercises/", "matgrade", "grader/report.py", "grader/sandbox/worker/"):
        assert name in text, name
