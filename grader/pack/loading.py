"""Reading a pack file: run it as a module (it is the instructor's, trusted), find its Pack.

The file runs in the grader, never in the worker, once per process and path.  Whatever goes
wrong is a PackError naming the file: it cannot be read, a syntax error (with its line), an
exception while it runs (with the line of the pack file), no Pack or several, a malformed
declaration (the field and what is allowed), or a name taken by matgrade or another pack.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from grader.errors import PackError
from grader.exercise import Exercise
from grader.pack.registry import LoadedPack, forget, loaded, register

__all__ = ["load_pack", "selection", "use_packs"]


def _line_in(exc: BaseException, path: str) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    return f", line {frames[-1].lineno}" if frames else ""


def _read(path: Path) -> LoadedPack:
    from grader.pack.pack import Pack

    shown = str(path)
    if not path.is_file():
        raise PackError(f"no pack file {shown}: give the path of a .py file that makes a Pack")
    if path.suffix != ".py":
        raise PackError(f"{shown}: a pack is a Python file (.py) that makes a Pack")
    module_name = f"matgrade_pack_{abs(hash(str(path))):x}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise PackError(f"{shown}: cannot be imported as a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look modules up by name
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise PackError(f"{shown}, line {exc.lineno}: syntax error: {exc.msg}") from None
    except PackError as exc:
        raise PackError(f"{shown}{_line_in(exc, str(path))}: {exc}") from None
    except OSError as exc:
        raise PackError(f"cannot read pack {shown}: {exc.strerror}") from None
    except Exception as exc:  # the instructor's code: any failure is theirs to fix, said plainly
        raise PackError(
            f"{shown}{_line_in(exc, str(path))}: the pack raised {type(exc).__name__}: {exc}"
        ) from None
    packs = [v for v in vars(module).values() if isinstance(v, Pack)]
    if not packs:
        raise PackError(
            f'{shown} makes no Pack: add `pack = Pack("course")` and `pack.add(...)` per exercise'
        )
    if len(packs) > 1:
        raise PackError(
            f"{shown} makes {len(packs)} Packs ({', '.join(p.name for p in packs)}); one file, one pack"
        )
    [pack] = packs
    if not pack.exercises:
        raise PackError(f"{shown}: the pack {pack.name!r} declares no exercise; add one with pack.add(...)")
    for exercise in pack.exercises:
        _read_formula(shown, exercise)
    return LoadedPack(pack.name, pack.title, shown, pack.exercises)


def _read_formula(shown: str, exercise: Exercise) -> None:
    """A primal given as sympy text is read now, so that a typo is an error of the pack file."""
    if exercise.symbolic is None:
        return
    try:
        exercise.symbolic.derivative()
    except Exception as exc:  # sympy's errors on the instructor's text: SympifyError, SyntaxError, ...
        raise PackError(
            f"{shown}: exercise {exercise.name!r}: field `sympy`: {exercise.symbolic.source!r} is not a "
            f"formula sympy can differentiate: {type(exc).__name__}: {exc}"
        ) from None


# Inputs per exercise on which a pack's references are checked each time it is loaded to grade:
# a reference that raises or disagrees with its primal there stops grading before any student
# is judged (`grade pack check` checks 200 and prints every verdict).
LOAD_CHECK = 20


def _checked(pack: LoadedPack) -> None:
    from grader.pack.verify import verify_exercise

    for exercise in pack.exercises:
        verdict = verify_exercise(exercise, LOAD_CHECK)
        if not verdict.ok:
            shown = ", ".join(f"{k} = {v}" for k, v in (verdict.inputs or {}).items())
            raise PackError(
                f"{pack.path}: exercise {exercise.name!r} is refused, nobody is graded: {verdict.message}; "
                f"on {shown}.  `grade pack check {pack.path}` checks every reference"
            )


def load_pack(path: str | Path, *, verify: bool = True) -> LoadedPack:
    """Load the pack file at `path` into the catalogue (once per resolved path) and return it.

    With `verify`, each reference is first checked on LOAD_CHECK inputs (grader/pack/verify.py).
    Raises PackError with what is wrong and what to do.
    """
    from exercises import SETS, builtin_exercises

    resolved = Path(path).resolve()
    for pack in loaded():
        if pack.path == str(resolved):
            return pack
    pack = _read(resolved)
    register(pack, {e.name for e in builtin_exercises()}, SETS)
    if verify:
        try:
            _checked(pack)
        except PackError:
            forget(pack.path)
            raise
    return pack


def use_packs(paths: Sequence[str]) -> tuple[LoadedPack, ...]:
    """Load every pack of `paths`, in order."""
    return tuple(load_pack(p) for p in paths)


def selection(paths: Sequence[str], only: Sequence[str]) -> tuple[str, ...]:
    """The `--only` words of a run with packs: `only`, or every exercise of the packs when it is empty."""
    packs = use_packs(paths)
    return tuple(only) or tuple(e.name for p in packs for e in p.exercises)
