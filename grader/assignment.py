"""An instructor's assignment file (TOML): which exercises, their points, limits and seeds.

    title = "Homework 1"
    seed = "student"          # or an integer: the same inputs for everyone
    examples = 50             # generated inputs per exercise (at most 5,000)
    timeout = 2.0             # seconds per call of a student function
    exercise_timeout = 30.0   # seconds per exercise
    cell_timeout = 10.0       # seconds per notebook cell
    memory = 1024             # MiB for the student's process
    visibility = "visible"    # Gradescope default: hidden | after_due_date | after_published | visible
    packs = ["course.py"]     # exercise packs (docs/exercise-packs.md), relative to this file

    [exercises.neuron_grad]
    points = 2
    visibility = "after_due_date"

Every key is checked: an unknown key, exercise name or value is a UsageError naming the
file, the key and what was expected.  With `seed = "student"` each student's seed is a hash
of the assignment's title and the student's name: different per student, the same on every
regrade.
"""

from __future__ import annotations

import difflib
import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from grader.errors import UsageError
from grader.grading import MAX_EXAMPLES, Options
from grader.report import VISIBILITIES, Visibility
from grader.sandbox import Limits

__all__ = ["AssignedExercise", "Assignment", "load_assignment", "parse_assignment", "with_packs"]

_TOP = (
    "title",
    "seed",
    "examples",
    "timeout",
    "exercise_timeout",
    "cell_timeout",
    "memory",
    "visibility",
    "partial_credit",
    "packs",
    "exercises",
    "service",  # grade serve's rules (grader/service/rules.py), checked here too
)
_PER_EXERCISE = ("points", "visibility")


@dataclass(frozen=True, slots=True)
class AssignedExercise:
    """One exercise of an assignment: how much it is worth, and who sees its result when."""

    name: str
    points: float
    visibility: Visibility


@dataclass(frozen=True, slots=True)
class Assignment:
    """A parsed assignment file; `seed` is None when each student gets their own."""

    title: str
    exercises: tuple[AssignedExercise, ...]
    seed: int | None = None
    examples: int = 100
    timeout: float = 2.0
    exercise_timeout: float = 30.0
    cell_timeout: float = 10.0
    memory: int = 1024
    visibility: Visibility = "visible"
    partial_credit: bool = False  # checking/scoring.py: a share for the right parts of a failing answer
    packs: tuple[str, ...] = ()  # exercise packs' paths, resolved against the assignment's folder

    def seed_for(self, student: str) -> int:
        """The seed of `student`: the fixed seed, or one derived from title and name."""
        if self.seed is not None:
            return self.seed
        digest = hashlib.sha256(f"matgrade:{self.title}:{student}".encode()).digest()
        return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF

    @property
    def visibilities(self) -> dict[str, Visibility]:
        """Each exercise's Gradescope visibility."""
        return {e.name: e.visibility for e in self.exercises}

    def options(self, student: str, *, jobs: int = 2) -> Options:
        """The grading options of `student` under this assignment."""
        return Options(
            seed=self.seed_for(student),
            examples=self.examples,
            only=tuple(e.name for e in self.exercises),
            limits=Limits(
                call_seconds=self.timeout,
                exercise_seconds=self.exercise_timeout,
                cell_seconds=self.cell_timeout,
                memory_mb=self.memory,
            ),
            jobs=jobs,
            points=tuple((e.name, e.points) for e in self.exercises),
            assigned=True,
            partial_credit=self.partial_credit,
            packs=self.packs,
        )


def _unknown(where: str, key: str, known: tuple[str, ...] | list[str]) -> UsageError:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known)}"
    return UsageError(f"{where}: unknown key {key!r}{hint}")


def _number(
    where: str,
    key: str,
    value: Any,
    *,
    minimum: float,
    maximum: float | None = None,
    integer: bool = False,
) -> float:
    kinds = (int,) if integer else (int, float)
    kind = "an integer" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, kinds) or value < minimum:
        raise UsageError(f"{where}: {key} must be {kind} >= {minimum:g}, not {value!r}")
    if maximum is not None and value > maximum:
        raise UsageError(f"{where}: {key} must be at most {maximum:,g}, not {value!r}")
    return value


def _visibility(where: str, value: Any) -> Visibility:
    if value not in VISIBILITIES:
        raise UsageError(
            f"{where}: visibility must be one of {', '.join(VISIBILITIES)}, not {value!r}"
        )
    return cast(Visibility, value)


def _packs(source: str, value: Any, folder: Path) -> tuple[str, ...]:
    """The packs' paths (relative to `folder`), loaded so that their exercises can be named."""
    from grader.pack.loading import use_packs

    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise UsageError(f'{source}: packs must be a list of paths of pack files, e.g. packs = ["course.py"]')
    paths = tuple(str((folder / v).resolve()) for v in value)
    use_packs(paths)
    return paths


def parse_assignment(
    data: Mapping[str, Any], source: str = "assignment", folder: Path | None = None
) -> Assignment:
    """The Assignment described by parsed TOML `data`; `source` names it in messages.

    `packs` are resolved against `folder` (the assignment file's; default the working folder).
    """
    from exercises import by_name, set_names

    for key in data:
        if key not in _TOP:
            raise _unknown(source, key, _TOP)
    title = data.get("title", "")
    if not isinstance(title, str):
        raise UsageError(f"{source}: title must be a string, not {title!r}")
    seed_value = data.get("seed", "student")
    seed: int | None
    if seed_value == "student":
        seed = None
    elif isinstance(seed_value, int) and not isinstance(seed_value, bool) and seed_value >= 0:
        seed = seed_value
    else:
        raise UsageError(
            f'{source}: seed must be "student" or an integer >= 0, not {seed_value!r}'
        )
    visibility = _visibility(source, data.get("visibility", "visible"))
    from grader.service.rules import parse_rules

    parse_rules(data.get("service"), source)
    partial_credit = data.get("partial_credit", False)
    if not isinstance(partial_credit, bool):
        raise UsageError(f"{source}: partial_credit must be true or false, not {partial_credit!r}")
    packs = _packs(source, data.get("packs", []), folder or Path.cwd()) if "packs" in data else ()
    table = data.get("exercises")
    if not isinstance(table, dict) or not table:
        raise UsageError(
            f"{source}: no exercises; add a table per exercise, e.g. [exercises.neuron_grad]"
        )
    known = by_name()
    exercises = []
    for name, spec in table.items():
        where = f"{source}: [exercises.{name}]"
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            if close:
                hint = f"; did you mean {close[0]!r}?"
            elif name in set_names():
                hint = f"; {name!r} is a set: name its exercises (`grade list`)"
            else:
                hint = "; `grade list` shows the exercises"
            raise UsageError(f"{source}: unknown exercise {name!r}{hint}")
        if not isinstance(spec, dict):
            raise UsageError(f"{where} must be a table (points = ..., visibility = ...)")
        for key in spec:
            if key not in _PER_EXERCISE:
                raise _unknown(where, key, _PER_EXERCISE)
        points = _number(where, "points", spec.get("points", known[name].points), minimum=0)
        exercises.append(
            AssignedExercise(
                name=name,
                points=float(points),
                visibility=_visibility(where, spec.get("visibility", visibility)),
            )
        )
    return Assignment(
        title=title,
        exercises=tuple(exercises),
        seed=seed,
        examples=int(
            _number(
                source, "examples", data.get("examples", 100), minimum=1, maximum=MAX_EXAMPLES, integer=True
            )
        ),
        timeout=float(_number(source, "timeout", data.get("timeout", 2.0), minimum=0.01)),
        exercise_timeout=float(
            _number(source, "exercise_timeout", data.get("exercise_timeout", 30.0), minimum=0.1)
        ),
        cell_timeout=float(
            _number(source, "cell_timeout", data.get("cell_timeout", 10.0), minimum=0.01)
        ),
        memory=int(_number(source, "memory", data.get("memory", 1024), minimum=64, integer=True)),
        visibility=visibility,
        partial_credit=partial_credit,
        packs=packs,
    )


def load_assignment(path: str) -> Assignment:
    """Read and check the assignment file at `path`; raises UsageError with what is wrong."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise UsageError(f"cannot read assignment {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}") from None
    return parse_assignment(data, path, Path(path).resolve().parent)


def with_packs(assignment: Assignment | None, packs: tuple[str, ...], seed: int) -> Assignment | None:
    """`assignment` with the packs of `--pack` added; without an assignment, one of the packs' exercises.

    Raises PackError when a pack cannot be loaded.
    """
    if not packs:
        return assignment
    from dataclasses import replace

    from grader.pack.loading import use_packs

    loaded = use_packs(packs)
    paths = tuple(p.path for p in loaded)
    if assignment is not None:
        return replace(assignment, packs=(*assignment.packs, *paths))
    exercises = tuple(AssignedExercise(e.name, e.points, "visible") for p in loaded for e in p.exercises)
    return Assignment(title="", exercises=exercises, seed=seed, packs=paths)
