"""The import blocker: matgrade's own packages cannot be imported by the student's code.

Installed last of all, before any student code runs (worker/main.py).  It refuses `BLOCKED`
even where the file system still shows them (a worker that could not make a private root),
and drops the grader's import hooks (an editable install) and any of its modules already
loaded.  Where the worker has a private root, the packages are not there to find anyway.
"""

from __future__ import annotations

import sys
from typing import Any

BLOCKED = ("grader", "reference", "exercises", "matgrade")


class Blocker:
    """A meta-path finder that refuses matgrade's own packages to student code."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"the grader's module {name!r} cannot be imported by a submission")
        return None


def block_grader_imports() -> None:
    """Drop the grader's import hooks (editable installs) and its modules from this process."""
    sys.meta_path[:] = [
        finder
        for finder in sys.meta_path
        if not getattr(finder, "__module__", "").startswith("__editable__")
        and not type(finder).__module__.startswith("__editable__")
    ]
    sys.meta_path.insert(0, Blocker())
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED or name.startswith("__editable__"):
            del sys.modules[name]

