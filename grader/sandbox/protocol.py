"""What goes over the pipes: the grader's inputs encoded, the worker's replies validated.

The worker's side of the same protocol is described in `worker/main.py`.  Nothing from the
worker is trusted: every reply is read field by field here, numbers are checked to be
numbers and shapes to be within bounds, text is cut to length and stripped of terminal
control characters; what cannot be read is a crash of the worker, never of the grader.
"""

from __future__ import annotations

import codecs
import math
import re
from typing import Any

from grader.sandbox.records import (
    Crashed,
    Isolation,
    Leaf,
    LoadError,
    LoadResult,
    Missing,
    Outcome,
    Raised,
    Returned,
    Spec,
)
from grader.student_output import SHOWN_BYTES, StudentOutput

__all__ = [
    "MAX_ELEMENTS",
    "bounded",
    "clean",
    "encode",
    "isolation_of",
    "load_error",
    "names_of",
    "outcome",
    "output_of",
    "raised",
]

MAX_ELEMENTS = 100_000  # per returned array, as in worker/answers.py
_DTYPES = frozenset({"float16", "float32", "float64", "float128", "longdouble"})
_KINDS = frozenset({"function", "formula", "other"})

# -- text from the worker ------------------------------------------------------------------

# Terminal controls (escape sequences, carriage returns) and bidirectional overrides could
# redraw or reorder a report on screen, so a failure could be hidden: they are shown escaped.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(raw: Any, limit: int = 4000) -> str:
    """Text from the worker, cut to `limit` and with its control characters shown escaped."""
    if not isinstance(raw, str):
        return ""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", raw[:limit])


def bounded(raw: Any, low: int, high: int) -> int | None:
    """An int from the worker clamped to [low, high]; None for anything else."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return min(max(raw, low), high)
    return None


def output_of(head: bytes, total: int, *, stopped: bool = False) -> StudentOutput | None:
    """What the student's code printed: `head`, its first bytes, of `total` bytes; None if nothing.

    At most SHOWN_BYTES are decoded, as UTF-8 with invalid bytes replaced; a character cut in
    two by that bound is left to the count of bytes not shown.  Control characters are shown
    escaped, as in all text from the worker.  `stopped`: the worker was stopped while it ran,
    so how much more it printed is timing, not the student's code, and is not counted.
    """
    total = max(int(total), 0)
    head = bytes(head[: min(SHOWN_BYTES, total)])
    if not total:
        return None
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text = decoder.decode(head, final=len(head) == total)
    pending = len(decoder.getstate()[0])  # the bytes of a character cut at the bound
    more: int | None = total - len(head) + pending
    if stopped and more:
        more = None
    return StudentOutput(text=clean(text, len(text)), truncated_bytes=more)


# -- values --------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """An argument as the worker reads it: {"f": x} | {"i": n} | {"a": shape, "d": flat} | {"l": [...]}."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return {"a": list(value.shape), "d": value.astype(np.float64).ravel().tolist()}
    if isinstance(value, (bool, np.bool_)):
        return {"i": int(value)}
    if isinstance(value, (int, np.integer)):
        return {"i": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"f": float(value)}
    if isinstance(value, (list, tuple)):
        return {"l": [encode(v) for v in value]}
    raise TypeError(f"cannot send {type(value).__name__} to the worker")


def _number(v: Any) -> bool:
    return type(v) is float or (type(v) is int and abs(v) <= 2**53)


def _leaf(raw: Any) -> Leaf:
    import numpy as np

    if not isinstance(raw, dict):
        raise ValueError("leaf is not an object")
    shape, dtype, data = raw.get("shape"), raw.get("dtype"), raw.get("data")
    if not isinstance(shape, list) or len(shape) > 8 or not all(
        type(s) is int and 0 <= s <= MAX_ELEMENTS for s in shape
    ):
        raise ValueError("bad shape")
    if dtype not in _DTYPES or not isinstance(data, list):
        raise ValueError("bad dtype or data")
    if math.prod(shape) != len(data) or len(data) > MAX_ELEMENTS:
        raise ValueError("data does not match shape")
    kinds = set(map(type, data))  # _number of each, with one pass in C for the common case
    if not kinds <= {float, int} or (int in kinds and not all(_number(v) for v in data)):
        raise ValueError("data holds non-numbers")
    values = np.array(data, dtype=np.float64).reshape(shape)
    return Leaf(values=values, dtype=dtype)


def _value(raw: Any, spec: Spec) -> Any:
    if spec == "leaf":
        return _leaf(raw)
    kind, inner = spec
    if not isinstance(raw, list):
        raise ValueError("expected a list")
    if kind == "tuple":
        if len(raw) != len(inner):
            raise ValueError("wrong arity")
        return tuple(_value(r, s) for r, s in zip(raw, inner, strict=True))
    return [_value(r, inner) for r in raw]


def raised(raw: Any) -> Raised:
    """The error a function or a cell raised, with every field checked and bounded."""
    if not isinstance(raw, dict):
        return Raised("Error", "the function failed")
    return Raised(
        type=clean(raw.get("type"), 100) or "Error",
        message=clean(raw.get("message")),
        traceback=clean(raw.get("traceback")),
        line=bounded(raw.get("line"), 0, 10**7),
    )


def outcome(raw: Any, spec: Spec) -> Outcome:
    """One call's result: a value of the shape `spec` asks for, an error, a stub or a crash."""
    if not isinstance(raw, dict):
        return Crashed("sent a malformed reply")
    if raw.get("missing") is True:
        return Missing()
    if "error" in raw:
        return raised(raw["error"])
    try:
        return Returned(_value(raw.get("value"), spec))
    except (ValueError, TypeError, OverflowError, RecursionError):
        return Crashed("sent a malformed value")


def names_of(reply: dict[str, Any]) -> LoadResult:
    """The names a loaded submission defines, from the worker's reply, checked and bounded."""
    names = reply.get("names")
    if isinstance(names, dict) and len(names) <= 100_000:
        return LoadResult(
            names={
                k: v
                for k, v in names.items()
                if isinstance(k, str) and k.isidentifier() and len(k) <= 200 and v in _KINDS
            }
        )
    return LoadResult(error=LoadError("Crash", "loading it gave a malformed reply"))


def load_error(raw: Any) -> LoadError:
    """The load error a worker reported, with every field checked and bounded."""
    if not isinstance(raw, dict):
        return LoadError("Error", "the submission could not be loaded")
    text = clean(raw.get("text"), 500)
    return LoadError(
        type=clean(raw.get("type"), 100) or "Error",
        message=clean(raw.get("message")),
        line=bounded(raw.get("line"), 0, 10**7),
        offset=bounded(raw.get("offset"), 0, len(text) + 1),
        text=text,
        traceback=clean(raw.get("traceback")),
    )


def isolation_of(hello: dict[str, Any]) -> Isolation:
    """What confines the worker, from its greeting: only a literal `true` counts."""
    raw = hello.get("isolation")
    raw = raw if isinstance(raw, dict) else {}
    notes = raw.get("notes")
    kept = raw.get("capabilities")
    return Isolation(
        user=raw.get("user") is True,
        network=raw.get("network") is True,
        filesystem=raw.get("filesystem") is True,
        notes=tuple(clean(n, 400) for n in notes[:20]) if isinstance(notes, list) else (),
        landlock=bounded(raw.get("landlock"), 0, 99) or 0,
        seccomp=raw.get("seccomp") is True,
        root=raw.get("root") is not False,  # unsaid: assume the worst
        capabilities=tuple(clean(c, 40) for c in kept[:40]) if isinstance(kept, list) else (),
    )
