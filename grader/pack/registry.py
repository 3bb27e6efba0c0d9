"""The packs loaded in this process: their exercises join the catalogue (`exercises.all_exercises`).

A pack is loaded once per resolved path; forked processes (`--jobs`, `grade batch`) inherit
what their parent loaded.  A pack's names must not collide: an exercise or set name of the
built-in catalogue, or of another loaded pack, is refused with a message saying how to rename.
Nothing here imports numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from grader.errors import PackError

if TYPE_CHECKING:
    from grader.exercise import Exercise

__all__ = ["LoadedPack", "loaded", "pack_exercises", "pack_title", "register"]


@dataclass(frozen=True)
class LoadedPack:
    """A pack file read and checked for collisions: its set name, title, path and exercises."""

    name: str
    title: str
    path: str
    exercises: tuple[Exercise, ...]


_LOADED: dict[str, LoadedPack] = {}  # by resolved path, in load order


def loaded() -> tuple[LoadedPack, ...]:
    """The packs loaded so far, in order."""
    return tuple(_LOADED.values())


def pack_exercises() -> tuple[Exercise, ...]:
    """Every exercise of every loaded pack, pack by pack, in declaration order."""
    return tuple(e for p in _LOADED.values() for e in p.exercises)


def pack_title(name: str) -> str | None:
    """The title of the loaded pack whose set is `name`, or None."""
    return next((p.title for p in _LOADED.values() if p.name == name), None)


def register(pack: LoadedPack, builtin_names: set[str], builtin_sets: tuple[str, ...]) -> None:
    """Add `pack` to the catalogue; raises PackError on a name that is already taken."""
    if pack.path in _LOADED:
        return
    taken_sets = {
        **{s: "a built-in set" for s in builtin_sets},
        **{p.name: f"the pack {p.path}" for p in _LOADED.values()},
    }
    taken = {**{n: "a built-in exercise" for n in builtin_names}}
    for other in _LOADED.values():
        taken.update((e.name, f"an exercise of the pack {other.path}") for e in other.exercises)
    if pack.name in taken_sets or pack.name in taken:
        owner = taken_sets.get(pack.name) or taken.get(pack.name, "")
        raise PackError(
            f"{pack.path}: the pack's name {pack.name!r} is already {owner}; "
            f"rename it: Pack({pack.name + '_course'!r})"
        )
    for exercise in pack.exercises:
        holder = taken.get(exercise.name) or taken_sets.get(exercise.name)
        if holder is not None:
            raise PackError(
                f"{pack.path}: exercise {exercise.name!r} is already {holder}; names must be unique "
                f"across matgrade and the packs loaded: rename it, e.g. {pack.name + '_' + exercise.name!r}"
            )
    _LOADED[pack.path] = pack


def forget(path: str | None = None) -> None:
    """Unload the pack loaded from `path`, or every pack (tests; a pack refused on loading)."""
    if path is None:
        _LOADED.clear()
    else:
        _LOADED.pop(path, None)
