"""The student's answers turned into plain numbers, and their errors into plain text.

Arguments arrive as {"f": float} | {"i": int} | {"a": shape, "d": flat} | {"l": [ARG, ...]}
(`decode`).  A returned value is read into the shape its SPEC asks for ("leaf" |
["tuple", [SPEC...]] | ["list", SPEC]); a leaf becomes {"shape", "dtype", "data"}, and what
is not a real array (None, text, complex numbers, objects, too many numbers) raises NotReal
with a message for the student (`convert`).  An exception becomes its type, message, line
and the frames of the student's own code only (`error`): the worker's frames never show.
"""

from __future__ import annotations

import traceback
import types
from typing import Any

MAX_ELEMENTS = 100_000  # per returned array; the largest answer of the contract has a few hundred
MAX_TOTAL = 400_000  # per reply (a batch of calls)
MAX_MESSAGE = 2_000
CELL_PREFIX = "<cell "  # the file name of a notebook cell's code: "<cell 4>"


def decode(arg: dict[str, Any], np: Any) -> Any:
    if "f" in arg:
        return float(arg["f"])
    if "i" in arg:
        return int(arg["i"])
    if "a" in arg:
        return np.array(arg["d"], dtype=np.float64).reshape(arg["a"])
    return [decode(item, np) for item in arg["l"]]


class NotReal(Exception):
    """The returned value cannot be read as a real array."""


class Budget:
    """Elements left for one reply: a batch of answers may not flood the grader."""

    def __init__(self) -> None:
        self.left = MAX_TOTAL

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise NotReal(f"returned more than {MAX_TOTAL} numbers in all, far more than asked for")


def _leaf(value: Any, np: Any, budget: Budget) -> dict[str, Any]:
    if value is None:
        raise NotReal("returned None (is a `return` statement missing?)")
    if isinstance(value, (str, bytes)):
        raise NotReal(f"returned text (a {type(value).__name__}), not real numbers")
    try:
        array = np.asarray(value)
    except Exception as exc:
        raise NotReal(f"returned a {type(value).__name__} that is not an array ({exc})") from None
    if not isinstance(array, np.ndarray):
        raise NotReal(f"returned a {type(value).__name__} that is not an array")
    if array.ndim > 8 or any(side > MAX_ELEMENTS for side in array.shape) or array.size > MAX_ELEMENTS:
        raise NotReal(
            f"returned an array of shape {array.shape} ({array.size} elements), far more than asked for"
        )
    kind = array.dtype.kind
    if kind == "c":
        raise NotReal("returned complex numbers; the answer is real")
    if kind in "USV":
        raise NotReal(f"returned {array.dtype} values (text or records), not real numbers")
    if kind in "mM":
        raise NotReal("returned dates or durations, not real numbers")
    if kind == "O":
        for item in array.flat:
            if isinstance(item, (str, bytes)):
                raise NotReal("returned text inside an object array, not real numbers")
            if isinstance(item, complex):
                raise NotReal("returned complex numbers; the answer is real")
        try:
            array = array.astype(np.float64)
        except Exception:
            raise NotReal("returned object values that are not real numbers") from None
    budget.take(int(array.size))
    dtype = array.dtype.name if array.dtype.kind == "f" else "float64"
    data = np.ndarray.tolist(np.asarray(array, dtype=np.float64).ravel())
    return {"shape": [int(side) for side in array.shape], "dtype": dtype, "data": data}


def convert(value: Any, spec: Any, np: Any, budget: Budget) -> Any:
    if spec == "leaf":
        return _leaf(value, np, budget)
    kind, inner = spec
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
        raise NotReal(f"returned a {type(value).__name__}, not a {kind} of results")
    items = []
    for item in value:
        items.append(item)
        if len(items) > MAX_ELEMENTS:
            raise NotReal(f"returned a {kind} of more than {MAX_ELEMENTS} results")
    if kind == "tuple":
        if len(items) != len(inner):
            raise NotReal(f"returned {len(items)} results; {len(inner)} were asked for, in order")
        return [convert(item, sub, np, budget) for item, sub in zip(items, inner, strict=True)]
    return [convert(item, inner, np, budget) for item in items]


def describe(exc: BaseException) -> str:
    try:
        return str(exc)[:MAX_MESSAGE]
    except BaseException:
        return "(the exception cannot be shown as text)"


def _own(frame_file: str, filename: str) -> bool:
    """Whether a frame is the student's: in the submission, or in one of a notebook's cells."""
    return frame_file == filename or frame_file.startswith(CELL_PREFIX)


def error(exc: BaseException, filename: str) -> dict[str, Any]:
    """An exception as the grader reads it; its traceback shows the student's own frames only."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _own(f.filename, filename)]
    lines = traceback.format_list(frames) if frames else []
    return {
        "type": type(exc).__name__,
        "message": describe(exc),
        "traceback": "".join(lines)[-MAX_MESSAGE * 2 :],
        "line": frames[-1].lineno if frames else None,
    }



def kind_of(value: Any) -> str:
    """What a name of the submission is: "function", "formula" (text, numbers, sympy) or "other"."""
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)) or callable(value):
        return "function"
    if isinstance(value, (str, int, float, list, tuple)):
        return "formula"
    if type(value).__module__.startswith("sympy"):
        return "formula"
    return "other"

