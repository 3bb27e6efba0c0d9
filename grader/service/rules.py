"""The course rules of an assignment's `[service]` table: deadline, rate, upload size, which grade counts.

    [service]
    deadline = 2026-12-20T23:59:00Z   # a TOML date-time (with an offset, or read as UTC)
    late = "accept"                   # "accept" (marked late) or "refuse"
    submissions_per_hour = 10         # per student; 0: no limit
    max_upload_kb = 512               # largest file accepted
    counts = "last"                   # the grade that counts: "last" or "best"

Only `grade serve` applies them; `grade FILE --assignment` checks them (a typo is an error
wherever the file is read) and otherwise ignores them.  Pure Python: no service dependency.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from grader.errors import UsageError

__all__ = ["Rules", "parse_rules"]

_KEYS = ("deadline", "late", "submissions_per_hour", "max_upload_kb", "counts")
MAX_UPLOAD_KB = 32 * 1024  # a notebook may be 32 MiB (grader/submission/notebook.py)


@dataclass(frozen=True, slots=True)
class Rules:
    """How a service accepts and counts an assignment's submissions."""

    deadline: datetime.datetime | None = None  # aware, UTC
    late: Literal["accept", "refuse"] = "accept"
    submissions_per_hour: int = 0  # 0: unlimited
    max_upload_kb: int = 2048
    counts: Literal["last", "best"] = "last"

    def is_late(self, when: datetime.datetime) -> bool:
        """Whether a submission at `when` (aware) comes after the deadline."""
        return self.deadline is not None and when > self.deadline


def _int(where: str, key: str, value: Any, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise UsageError(f"{where}: {key} must be an integer from {minimum} to {maximum:,}, not {value!r}")
    return value


def parse_rules(data: Mapping[str, Any] | None, source: str = "assignment") -> Rules:
    """The Rules of a parsed `[service]` table (None: the defaults); UsageError naming what is wrong."""
    if data is None:
        return Rules()
    where = f"{source}: [service]"
    if not isinstance(data, Mapping):
        raise UsageError(f"{where} must be a table (deadline = ..., late = ...)")
    for key in data:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, list(_KEYS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(_KEYS)}"
            raise UsageError(f"{where}: unknown key {key!r}{hint}")
    deadline = data.get("deadline")
    if deadline is not None:
        if isinstance(deadline, datetime.date) and not isinstance(deadline, datetime.datetime):
            deadline = datetime.datetime.combine(deadline, datetime.time(23, 59, 59))
        if not isinstance(deadline, datetime.datetime):
            raise UsageError(
                f"{where}: deadline must be a TOML date-time such as 2026-12-20T23:59:00Z, not {deadline!r}"
            )
        if deadline.tzinfo is None:
            deadline = deadline.replace(tzinfo=datetime.UTC)
        deadline = deadline.astimezone(datetime.UTC)
    late = data.get("late", "accept")
    if late not in ("accept", "refuse"):
        raise UsageError(f'{where}: late must be "accept" or "refuse", not {late!r}')
    counts = data.get("counts", "last")
    if counts not in ("last", "best"):
        raise UsageError(f'{where}: counts must be "last" or "best", not {counts!r}')
    return Rules(
        deadline=deadline,
        late=late,
        submissions_per_hour=_int(
            where, "submissions_per_hour", data.get("submissions_per_hour", 0), 0, 100_000
        ),
        max_upload_kb=_int(where, "max_upload_kb", data.get("max_upload_kb", 2048), 1, MAX_UPLOAD_KB),
        counts=counts,
    )
