"""The exercise sets of the contract (docs/exercises.md), as declarations, in its order.

`all_exercises()` imports the set modules (and numpy with them) only when called, so that
`grade --help` stays fast.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.exercise import Exercise

__all__ = ["SETS", "all_exercises", "builtin_exercises", "by_name", "set_names"]

SETS = ("scalar", "jacobians", "elementwise", "reductions", "neuron", "loss", "backprop")


@cache
def builtin_exercises() -> tuple[Exercise, ...]:
    """Every exercise of every built-in set, in the order of the contract."""
    from dataclasses import replace

    from exercises.domains import DOMAINS

    found: list[Exercise] = []
    for name in SETS:
        module = importlib.import_module(f"exercises.{name}")
        found.extend(
            replace(e, domain=DOMAINS[e.name]) if e.domain is None and e.name in DOMAINS else e
            for e in module.EXERCISES
        )
    return tuple(found)


def all_exercises() -> tuple[Exercise, ...]:
    """The built-in exercises, then those of the exercise packs loaded (grader/pack/registry.py)."""
    from grader.pack.registry import pack_exercises

    return builtin_exercises() + pack_exercises()


def set_names() -> tuple[str, ...]:
    """The built-in sets, then the sets of the packs loaded."""
    from grader.pack.registry import loaded

    return SETS + tuple(p.name for p in loaded())


def by_name() -> dict[str, Exercise]:
    """The exercises keyed by their function name."""
    return {e.name: e for e in all_exercises()}
