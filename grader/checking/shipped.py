"""Plans shipped with the package: the default seed's inputs, references and memo, read-only.

Drawing the plans (grader/checking/plan.py) is most of a first run's time, and for the
default seed and number of examples it always gives the same result.  So the plans of the
built-in exercises for those settings are built once, by `python -m grader.checking.shipped
build`, and shipped as package data in `shipped_plans/` beside this module: one JSON file per
exercise: a header line (what it was built for), the plan's structure as JSON, and the
numbers of its arrays as base64 of their float64 bytes (bit for bit; no pickle anywhere).

A shipped plan is used only when it is certainly the plan drawing would give:
- the exercise is the built-in declaration of that name (an instructor's own is drawn);
- the settings are those it was built for (seed, examples, input sets per call);
- its fingerprint matches this installation: a hash of the sources that determine the
  plans (exercises/, reference/, grader/exercise/, grader/checking/);
- it was built with this installation's versions of Hypothesis (pinned by pyproject.toml),
  numpy, sympy and Python, and the machine's architecture.
Anything else, a missing file or one that does not parse included, and the plan is drawn as
before: a stale file is ignored, never trusted.  tests/grader/test_shipped.py checks that the
shipped plans equal what drawing gives, and that reports are byte-identical with and without.

Nothing is written at run time: the files are read only, from the installed package, which
the worker cannot write (docs/performance.md, docs/security.md).  MATGRADE_SHIPPED_PLANS=0
in the environment turns them off (to measure, or to compare).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import platform
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from grader.checking.memo import CentralDifference, Memo, Where
from grader.checking.plan import Plan, Planned, frozen
from grader.checking.settings import Settings
from grader.exercise import Exercise, spec_of

__all__ = [
    "DATA",
    "FORMAT",
    "available",
    "build",
    "built_with",
    "enabled",
    "fingerprint",
    "load",
    "main",
    "shipped_plan",
    "versions",
]

FORMAT = 1
DATA = Path(__file__).with_name("shipped_plans")
_ROOT = Path(__file__).resolve().parents[2]
# What determines a plan besides the settings: every module of these folders (a change to
# any of them makes the shipped plans stale until they are built again).
_SOURCES = ("exercises", "reference", "grader/exercise", "grader/checking")
_VERSIONS = ("hypothesis", "numpy", "sympy")


class Unshippable(ValueError):
    """A value the shipped format does not hold (the exercise's plan is then not shipped)."""


def enabled() -> bool:
    """Whether shipped plans are used (MATGRADE_SHIPPED_PLANS=0 turns them off)."""
    return os.environ.get("MATGRADE_SHIPPED_PLANS", "1") != "0"


@cache
def fingerprint() -> str:
    """The hash of the sources the plans depend on (the versions are kept apart: `versions()`)."""
    digest = hashlib.sha256(f"matgrade shipped plans {FORMAT}\n".encode())
    for folder in _SOURCES:
        for path in sorted((_ROOT / folder).glob("*.py")):
            digest.update(f"{folder}/{path.name}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def versions() -> dict[str, str]:
    """The versions the plans depend on besides the sources: Hypothesis, numpy, sympy, Python."""
    from importlib import metadata

    found = {}
    for name in _VERSIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "?"
    found["python"] = f"{sys.version_info[0]}.{sys.version_info[1]} {platform.machine()}"
    return found


def built_with(directory: Path = DATA) -> tuple[str, dict[str, str]] | None:
    """(fingerprint, versions) the shipped plans in `directory` were built with, or None."""
    for path in sorted(directory.glob("*.json")):
        try:
            with path.open(encoding="utf-8") as file:
                header = json.loads(file.readline())
            return str(header["fingerprint"]), dict(header["versions"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


# Encoding: JSON for the structure; the numbers of every float64 array (and numpy float64
# scalar) of a plan in one float64 blob, written as base64 of its bytes (bit for bit), which
# the structure points into by offset.  Python floats and ints are JSON numbers (json keeps
# 1 and 1.0 apart, and repr's digits give the same float back); what JSON cannot tell apart
# is tagged: {"a": [offset, *shape]} an array, {"f": offset} a numpy float64, {"t": [...]} a
# tuple, {"x": hex} a float that is not finite.


class _Writer:
    """Encodes values into JSON-ready structures, their arrays' numbers into one blob."""

    def __init__(self) -> None:
        self.parts: list[NDArray[np.float64]] = []
        self.size = 0

    def _put(self, numbers: NDArray[np.float64]) -> int:
        offset = self.size
        self.parts.append(numbers.ravel())
        self.size += numbers.size
        return offset

    def value(self, value: Any) -> Any:
        if isinstance(value, np.ndarray):
            if value.dtype != np.float64:
                raise Unshippable(f"an array of {value.dtype}")
            return {"a": [self._put(value), *value.shape]}
        if isinstance(value, np.float64):
            return {"f": self._put(np.asarray(value))}
        if isinstance(value, tuple):
            return {"t": [self.value(v) for v in value]}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, bool) or value is None:
            return value
        if type(value) in (int, float):
            return value if type(value) is int or math.isfinite(value) else {"x": float(value).hex()}
        raise Unshippable(f"a value of type {type(value).__name__}")

    def blob(self) -> str:
        numbers = np.concatenate(self.parts) if self.parts else np.zeros(0)
        return base64.b64encode(numbers.astype("<f8").tobytes()).decode("ascii")


class _Reader:
    """Decodes what _Writer encoded; arrays are read-only views of the blob."""

    def __init__(self, blob: str) -> None:
        self.numbers = np.frombuffer(base64.b64decode(blob, validate=True), dtype="<f8")

    def value(self, raw: Any) -> Any:
        kind = type(raw)
        if kind is dict:
            found = raw.get("a")
            if found is not None:
                offset, *shape = found
                end = offset + math.prod(shape)
                if not 0 <= offset <= end <= self.numbers.size:
                    raise ValueError("an array outside the blob")
                return self.numbers[offset:end].reshape(shape)
            if "t" in raw:
                return tuple([self.value(v) for v in raw["t"]])
            if "f" in raw:
                return self.numbers[raw["f"]]
            if "x" in raw:
                return float.fromhex(raw["x"])
            raise ValueError(f"an unknown record {sorted(raw)}")
        if kind is list:
            return [self.value(v) for v in raw]
        return raw


def _encode_memo(memo: Memo, out: _Writer) -> list[Any]:
    differences = [
        [
            list(where[0]),
            where[1],
            step,
            out.value(found.direction),
            out.value(found.values),
            out.value(found.atol),
            found.smooth,
        ]
        for (where, step), found in memo.differences.items()
    ]
    scales = None if memo.scales is None else [out.value(s) for s in memo.scales]
    return [differences, scales, memo.digest]


def _decode_memo(raw: Sequence[Any], read: _Reader) -> Memo:
    differences, scales, digest = raw
    memo = Memo()
    for names, item, step, direction, values, atol, smooth in differences:
        where: Where = (tuple(names), item)
        memo.differences[(where, float(step))] = CentralDifference(
            direction=read.value(direction),
            values=read.value(values),
            atol=read.value(atol),
            smooth=bool(smooth),
        )
    if scales is not None:
        memo.scales = [read.value(s) for s in scales]
    memo.digest = digest
    return memo


def _header(name: str, settings: Settings, variant: str = "plan") -> dict[str, Any]:
    """The first line of a shipped plan's file: what it was built for (checked before the rest is read)."""
    return {
        "format": FORMAT,
        "variant": variant,
        "fingerprint": fingerprint(),
        "versions": versions(),
        "exercise": name,
        "seed": settings.seed,
        "examples": settings.examples,
        "batch": settings.batch,
    }


def _encode_plan(plan: Plan) -> tuple[list[Any], str]:
    """The plan's structure, and its blob of numbers."""
    out = _Writer()
    cases = [
        [
            {name: out.value(value) for name, value in planned.inputs.items()},
            out.value(planned.expected),
            _encode_memo(planned.memo, out),
        ]
        for planned in plan.cases
    ]
    return cases, out.blob()


def _decode_plan(structure: Sequence[Any], blob: str) -> Plan:
    read = _Reader(blob)
    cases = []
    for inputs, raw, memo in structure:
        expected = read.value(raw)
        cases.append(
            Planned(
                inputs=frozen({name: read.value(value) for name, value in inputs.items()}),
                expected=expected,
                spec=spec_of(expected),
                memo=_decode_memo(memo, read),
            )
        )
    return Plan(cases=tuple(cases))


def _path(name: str, directory: Path = DATA, variant: str = "plan") -> Path:
    return directory / (f"{name}.json" if variant == "plan" else f"{name}.{variant}.json")


def _builtin(exercise: Exercise) -> bool:
    """Whether `exercise` is the built-in declaration of its name (its points aside)."""
    from exercises import by_name
    from grader.checking.plan import key_of

    builtin = by_name().get(exercise.name)
    return builtin is not None and key_of(builtin, 0, 0, 0) == key_of(exercise, 0, 0, 0)


def _current(header: str, exercise: Exercise, settings: Settings, variant: str = "plan") -> bool:
    """Whether a file's header line says it holds the current plan of `exercise` under `settings`."""
    return bool(json.loads(header) == _header(exercise.name, settings, variant) and _builtin(exercise))


def load(
    exercise: Exercise, settings: Settings, directory: Path = DATA, variant: str = "plan"
) -> Plan | None:
    """The shipped plan of `exercise` under `settings` from `directory`, or None.

    None when there is none for these settings, when it is stale (another fingerprint) or
    unreadable, or when `exercise` is not the built-in declaration of its name.
    """
    try:
        with _path(exercise.name, directory, variant).open(encoding="utf-8") as file:
            if not _current(file.readline(), exercise, settings, variant):
                return None
            structure, blob = file.readline(), file.readline()
            return _decode_plan(json.loads(structure), blob.strip())
    except OSError:
        return None
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):  # a damaged file is not trusted
        return None


def available(exercise: Exercise, settings: Settings, directory: Path = DATA) -> bool:
    """Whether a current plan of `exercise` under `settings` is shipped (its header alone is read)."""
    if not enabled():
        return False
    try:
        with _path(exercise.name, directory).open(encoding="utf-8") as file:
            return _current(file.readline(), exercise, settings)
    except (OSError, ValueError):
        return False


def shipped_plan(exercise: Exercise, settings: Settings, variant: str = "plan") -> Plan | None:
    """The shipped plan of `exercise` under `settings` when one applies (see the module docstring).

    `variant` "small" is the small plan a failing answer's shrinking starts from
    (recording.small_plan), shipped for the default seed as well.
    """
    if not enabled():
        return None
    from grader.timing import phase

    with phase("shipped plans"):
        return load(exercise, settings, variant=variant)


def build(
    settings: Settings,
    directory: Path = DATA,
    exercises: Iterable[Exercise] | None = None,
    say: Callable[[str], None] = print,
) -> list[str]:
    """Draw the plans of the built-in exercises under `settings` and write them to `directory`.

    Every file of `directory` is replaced; an exercise whose plan cannot be drawn or holds a
    value the format does not is left out (and said).  Returns the names written.
    """
    from exercises import all_exercises
    from grader.checking.identities import identities_of
    from grader.checking.plan import forget, prepare
    from grader.checking.recording import SMALL_EXAMPLES, SMALL_SEED, draw_small, record
    from grader.checking.rounding import scales

    chosen = list(all_exercises() if exercises is None else exercises)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.json"):
        old.unlink()
    forget()
    written = []
    small = Settings(seed=SMALL_SEED, examples=SMALL_EXAMPLES, batch=settings.batch)
    for exercise in chosen:
        for variant, draw, drawn_with in (("plan", record, settings), ("small", draw_small, small)):
            cases = tuple(draw(exercise, drawn_with))
            prepare(exercise, identities_of(exercise), cases)
            for planned in cases:
                scales(planned.case(exercise, got=None))  # the declared error scales, into the memo
            try:
                structure, blob = _encode_plan(Plan(cases=cases))
            except Unshippable as why:
                say(f"{exercise.name}: {variant} not shipped ({why})")
                continue
            header = json.dumps(_header(exercise.name, drawn_with, variant), separators=(",", ":"))
            body = json.dumps(structure, separators=(",", ":"))
            path = _path(exercise.name, directory, variant)
            path.write_text(f"{header}\n{body}\n{blob}\n", encoding="utf-8")
        written.append(exercise.name)
    forget()
    if exercises is None:
        from reference.symbolic import write_code

        write_code(e.symbolic for e in chosen if e.symbolic is not None)
    return written


def stale(settings: Settings, directory: Path = DATA) -> list[str]:
    """The built-in exercises whose shipped plan under `settings` is missing or stale."""
    from exercises import all_exercises
    from grader.checking.recording import SMALL_EXAMPLES, SMALL_SEED

    small = Settings(seed=SMALL_SEED, examples=SMALL_EXAMPLES, batch=settings.batch)
    return [
        e.name
        for e in all_exercises()
        if load(e, settings, directory) is None or load(e, small, directory, "small") is None
    ]


def _default_settings() -> Settings:
    from grader.grading import DEFAULT_SEED, Options

    return Settings(seed=DEFAULT_SEED, examples=Options().examples)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m grader.checking.shipped build | check`: write the shipped plans, or list stale ones."""
    args = list(sys.argv[1:] if argv is None else argv)
    settings = _default_settings()
    if args == ["build"]:
        names = build(settings)
        print(f"wrote {len(names)} plans to {DATA} (seed {settings.seed}, {settings.examples} examples)")
        return 0
    if args == ["check"]:
        missing = stale(settings)
        if missing:
            print(f"{len(missing)} shipped plans missing or stale: {', '.join(missing)}")
            print("build them again: python -m grader.checking.shipped build")
            return 1
        print("every shipped plan is current")
        return 0
    print("usage: python -m grader.checking.shipped build | check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
