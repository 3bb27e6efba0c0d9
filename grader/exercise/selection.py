"""Which exercises a run checks: the words of `--only` (exercise and set names) resolved.

The catalogue (`exercises/`) is imported on the first call, never at import time.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from grader.errors import UsageError

if TYPE_CHECKING:
    from grader.exercise.declaration import Exercise

__all__ = ["select_exercises"]


def select_exercises(only: Sequence[str]) -> list[Exercise]:
    """The exercises named in `only`, all of them when it is empty.

    A word is an exercise name or a set name; `neuron` and `backprop` are both, and name the
    set.  `exercise:NAME` and `set:NAME` say which is meant.
    """
    from exercises import all_exercises, set_names

    known_sets = set_names()
    exercises = list(all_exercises())
    if not only:
        return exercises
    names = {e.name for e in exercises}
    sets: set[str] = set()
    single: set[str] = set()
    for word in only:
        kind, _, bare = word.rpartition(":")
        if kind not in ("", "set", "exercise"):
            raise UsageError(f"{word!r}: write exercise:NAME or set:NAME")
        if kind != "exercise" and bare in known_sets:
            sets.add(bare)
        elif kind != "set" and bare in names:
            single.add(bare)
        else:
            close = difflib.get_close_matches(bare, [*names, *known_sets], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else "; `grade list` shows them all"
            raise UsageError(f"no exercise or set named {bare!r}{hint}")
    return [e for e in exercises if e.name in single or e.set in sets]
