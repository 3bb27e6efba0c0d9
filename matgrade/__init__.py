"""matgrade's import name: `from matgrade import check`, safe from a student's own files.

matgrade installs three top-level packages with generic names, `grader`, `reference` and
`exercises`.  In a notebook the working directory comes first on `sys.path`, so a student's
`grader.py` (or `reference.py`, `exercises.py`, or a folder of that name with an
`__init__.py`) beside the notebook is imported in their place, and `from grader import check`
would import the student's file.  Importing `matgrade` first checks where each of the three
names resolves, without importing it, and raises an ImportError naming the file that shadows
it and what to do; only then does it hand out grader's public API (lazily, so that
`import matgrade` stays as light as `import grader`).  `grader` stays a documented alias.

The `grade` command needs no such check: its script's folder (the environment's bin/), not
the working directory, heads `sys.path`, its children are forked, and the worker that runs
student code starts with `python -I`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

__all__ = [
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

PACKAGES = ("grader", "reference", "exercises")

# The packages are installed beside this one: in site-packages, or in the source tree for an
# editable install.
_ROOT = Path(__file__).resolve().parent.parent


def _origin(name: str) -> str | None:
    """The file `import name` would load (or has loaded), or None when it cannot be found."""
    module = sys.modules.get(name)
    if module is not None:
        return getattr(module, "__file__", None)
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None else None


def shadowing() -> list[tuple[str, str | None]]:
    """The packages that do not resolve to matgrade's own: (name, the file found instead or None)."""
    found = []
    for name in PACKAGES:
        origin = _origin(name)
        if origin is None or Path(origin).resolve() != (_ROOT / name / "__init__.py").resolve():
            found.append((name, origin))
    return found


def _message(found: list[tuple[str, str | None]]) -> str:
    """What is wrong, per package, and what to do about it."""
    lines = ["matgrade cannot start:"]
    for name, origin in found:
        if origin is None:
            lines.append(
                f"  its package `{name}` is not installed: reinstall matgrade (pip install matgrade)."
            )
            continue
        shown = Path(origin)
        culprit = shown.parent if shown.name == "__init__.py" else shown
        lines.append(
            f"  {culprit} hides its package `{name}` ({_ROOT / name}): Python imports the files of "
            f"the working folder first.  Rename {culprit.name} (for example to my_{culprit.name}) "
            "or work in another folder."
        )
    lines.append("Then restart the kernel (or Python) and import matgrade again.")
    return "\n".join(lines)


_FOUND = shadowing()
if _FOUND:
    raise ImportError(_message(_FOUND), name=__name__)

if TYPE_CHECKING:
    from grader import (
        Counterexample,
        Exercise,
        ExerciseResult,
        GraderError,
        Identity,
        IdentityResult,
        Options,
        Report,
        SandboxError,
        SubmissionError,
        UsageError,
        __version__,
        check,
        grade,
    )


def __getattr__(name: str) -> Any:
    if name in __all__:
        import grader

        return getattr(grader, name)
    raise AttributeError(f"module 'matgrade' has no attribute {name!r}")
