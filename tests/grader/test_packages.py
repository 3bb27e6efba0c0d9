"""The packages of grader/: each re-exports its public names, and importing one stays light."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types

import pytest

import grader

PACKAGES = ("grader.submission", "grader.sandbox", "grader.checking", "grader.exercise")


@pytest.mark.parametrize("name", PACKAGES)
def test_each_name_a_package_exports_is_what_its_modules_define(name: str) -> None:
    """Every name in a package's __all__ is an object of that package, never a submodule."""
    package = importlib.import_module(name)
    for info in pkgutil.iter_modules(package.__path__):
        if info.name != "worker":  # run by path in the worker, never imported when grading
            importlib.import_module(f"{name}.{info.name}")
    for exported in package.__all__:
        value = getattr(package, exported)
        assert not isinstance(value, types.ModuleType), f"{name}.{exported} is a module"
        if isinstance(value, type | types.FunctionType) and value.__module__ != "typing":  # aliases
            assert value.__module__.startswith(f"{name}."), (exported, value.__module__)


def test_grader_exports_its_public_api_and_nothing_else() -> None:
    """`from grader import *` gives the listed API, each name resolvable."""
    assert sorted(grader.__all__) == [
        "Counterexample",
        "Exercise",
        "ExerciseResult",
        "GraderError",
        "Identity",
        "IdentityResult",
        "Options",
        "Report",
        "SandboxError",
        "SubmissionError",
        "UsageError",
        "__version__",
        "check",
        "grade",
    ]
    for name in grader.__all__:
        assert getattr(grader, name) is not None
    assert not isinstance(grader.check, types.ModuleType)


def test_importing_a_package_imports_no_numpy_sympy_or_hypothesis() -> None:
    """The packages' __init__ files are light: heavy names are imported on first use."""
    probe = (
        "import sys\n"
        f"for name in {PACKAGES!r}: __import__(name)\n"
        "print(','.join(m for m in ('numpy', 'sympy', 'hypothesis') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
