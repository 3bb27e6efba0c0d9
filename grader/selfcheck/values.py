"""One global value of the student's module as source: an import line or a literal.

Also which modules are the student's own (their functions are sent as source, their modules
cannot be imported by the worker) and which are libraries (imported by name).
"""

from __future__ import annotations

import inspect
import math
import os
import sys
import types
from typing import Any

__all__ = ["PLAIN", "import_line", "is_user_code", "literal", "quietly_unwrapped"]

PLAIN: tuple[type, ...] = (bool, int, float, complex, str, bytes)


def is_user_code(module_name: str | None) -> bool:
    """Whether the module named so is the student's own (a notebook, a file of theirs).

    Installed libraries and the standard library are not; neither is matgrade itself.
    """
    if (module_name or "").partition(".")[0] in ("grader", "reference", "exercises"):
        return False  # matgrade's own code is never sent to the worker
    module = sys.modules.get(module_name or "")
    path = getattr(module, "__file__", None)
    if not isinstance(path, str):
        return module is None or module_name == "__main__"
    import sysconfig

    library = {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    real = os.path.realpath(path)
    return not any(real.startswith(os.path.realpath(root) + os.sep) for root in library)


def quietly_unwrapped(value: Any) -> Any:
    """The function a decorator (functools.wraps, lru_cache) wraps, or `value` itself."""
    try:
        return inspect.unwrap(value) if callable(value) else value
    except ValueError:  # a cycle of __wrapped__
        return value


def literal(value: Any, depth: int = 0) -> str | None:
    """Python source for a plain constant, or None when `value` is not one."""
    if depth > 5:
        return None
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        value = value.item()  # a numpy scalar: its repr would need numpy
    if value is None:
        return "None"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(float(value))!r})"
    if isinstance(value, complex) and not (math.isfinite(value.real) and math.isfinite(value.imag)):
        return None
    for kind in PLAIN:
        if isinstance(value, kind):
            return repr(kind(value))
    if isinstance(value, (tuple, list)) and len(value) <= 1000:
        items = [literal(v, depth + 1) for v in value]
        if any(i is None for i in items):
            return None
        inner = ", ".join(i for i in items if i is not None)
        if isinstance(value, tuple):
            return f"({inner},)" if len(items) == 1 else f"({inner})"
        return f"[{inner}]"
    return None


def import_line(name: str, value: Any) -> str | None:
    """`import numpy as np` or `from math import sqrt as name` for a library object."""
    if isinstance(value, types.ModuleType):
        dotted = value.__name__
        return f"import {dotted}" if dotted == name else f"import {dotted} as {name}"
    module_name = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    if not isinstance(module_name, str) or not isinstance(qualname, str) or "." in qualname:
        return None
    if module_name in ("__main__", "builtins") or "<" in qualname:
        return None
    module = sys.modules.get(module_name)
    if module is None or getattr(module, qualname, None) is not value:
        return None
    return f"from {module_name} import {qualname}" + ("" if qualname == name else f" as {name}")
