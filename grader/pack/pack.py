"""`Pack`: an instructor's set of exercises, each declared by its primal, checked as it is added.

    pack = Pack("course", title="Softmax, cross-entropy and layers")
    n = size("n", 1, 6)
    pack.add(
        "softmax_jacobian",
        params=[vector("z", n, interval(-5, 5))],
        value=vector("s", n),
        sympy=softmax,                      # z: a column Matrix of n Symbols -> n components
        task="Return the Jacobian ds/dz of s = softmax(z), shape (n, n).",
    )

`add` validates every field (a `PackError` names the exercise, the field and what is
allowed) and builds the `Exercise` (grader/pack/build.py); the pack's name is the set name
the exercises are listed, selected (`--only course`) and reported under.
"""

from __future__ import annotations

import difflib
import inspect
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from grader.errors import PackError
from grader.exercise.declaration import Exercise, Identity, Mistake
from grader.pack.build import Kink, Spec, build_exercise, build_formula_exercise
from grader.pack.declare import Param, Size, scalar

__all__ = ["Pack"]

_FIELDS = (
    "params",
    "value",
    "wrt",
    "results",
    "sympy",
    "numpy",
    "derivative",
    "task",
    "section",
    "hint",
    "points",
    "mistakes",
    "kink",
    "examples",
    "catalogue",
    "primal_name",
    "identities",
)


def _caller_file() -> str:
    """The file of the code that made the pack (the pack file, or <stdin> in a session)."""
    return sys._getframe(2).f_code.co_filename


class Pack:
    """An instructor's exercises: `add` one per exercise; `exercises` lists them in order."""

    def __init__(self, name: str, *, title: str = "", section: str = "") -> None:
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise PackError(f"Pack(name) must be a Python identifier such as 'course', not {name!r}")
        if not isinstance(title, str) or not isinstance(section, str):
            raise PackError("Pack(title=..., section=...) must be strings")
        self.name = name
        self.title = title or f"exercises of the pack {name}"
        self.section = section
        self.path = _caller_file()
        self._exercises: list[Exercise] = []

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        """The exercises added so far, in order."""
        return tuple(self._exercises)

    def __repr__(self) -> str:
        return f"Pack({self.name!r}, {len(self._exercises)} exercises)"

    def add(self, name: str, **fields: Any) -> Exercise:
        """Declare the exercise whose student function is `name`; see docs/exercise-packs.md.

        Fields: params (list of scalar/vector/matrix/count), value (the primal's value: scalar(...)
        or vector(...), default scalar("f")), wrt (the parameters differentiated, default every
        non-count one), results (their labels), sympy (the primal in sympy) and/or numpy (the
        primal in numpy) with derivative (the numpy reference), task, section, hint, points,
        mistakes, kink, examples.
        """
        for key in fields:
            if key not in _FIELDS:
                close = difflib.get_close_matches(key, _FIELDS, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(_FIELDS)}"
                raise PackError(f"exercise {name!r}: unknown field {key!r}{hint}")
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise PackError(
                f"exercise name must be a Python identifier (the student's function), not {name!r}"
            )
        if any(e.name == name for e in self._exercises):
            raise PackError(f"exercise {name!r} is declared twice in the pack {self.name!r}")
        source = fields.get("sympy")
        if isinstance(source, (str, tuple)):
            spec = self._spec(name, {**fields, "sympy": _text_primal(name, fields, source)})
            exercise = build_formula_exercise(spec, source)
        else:
            spec = self._spec(name, fields)
            exercise = build_exercise(spec)
        self._exercises.append(exercise)
        return exercise

    def _spec(self, name: str, fields: Mapping[str, Any]) -> Spec:
        where = f"exercise {name!r}"
        params = _params(where, fields.get("params"))
        value = fields.get("value", scalar("f"))
        if not isinstance(value, Param) or value.kind not in ("scalar", "vector"):
            raise PackError(
                f"{where}: field `value` must be scalar(name) or vector(name, size), the primal's value, "
                f"not {value!r}"
            )
        _shared_sizes(where, [*params, value])
        names = [p.name for p in params]
        wrt = _wrt(where, fields.get("wrt"), params)
        results = _results(where, fields.get("results"), wrt, value)
        given = fields.get("sympy")
        sympy_fn = given if isinstance(given, str) else _callable(where, "sympy", given, len(params))
        numpy_fn = _callable(where, "numpy", fields.get("numpy"), len(params))
        derivative = _callable(where, "derivative", fields.get("derivative"), len(params))
        if sympy_fn is None and (numpy_fn is None or derivative is None):
            raise PackError(
                f"{where}: give the mathematics as `sympy=` (the primal in sympy: the reference is derived) "
                "or as `numpy=` and `derivative=` (the primal and its derivative in numpy), or both"
            )
        if derivative is not None and sympy_fn is None and numpy_fn is None:
            raise PackError(f"{where}: `derivative=` needs the primal as well (`numpy=` or `sympy=`)")
        task = fields.get("task")
        if not isinstance(task, str) or not task.strip():
            raise PackError(f"{where}: field `task` is required: one sentence saying what to return")
        section = fields.get("section", self.section)
        hint = fields.get("hint", "")
        for key, text in (("section", section), ("hint", hint)):
            if not isinstance(text, str):
                raise PackError(f"{where}: field `{key}` must be a string, not {text!r}")
        points = fields.get("points", 1.0)
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not points >= 0:
            raise PackError(f"{where}: field `points` must be a number >= 0, not {points!r}")
        return Spec(
            name=name,
            set=self.name,
            path=self.path,
            params=params,
            value=value,
            wrt=wrt,
            results=results,
            task=task.strip(),
            section=section or self.section or f"the pack {self.name}",
            hint=hint,
            points=float(points),
            sympy=sympy_fn,
            numpy=numpy_fn,
            derivative=derivative,
            mistakes=_mistakes(where, fields.get("mistakes", ()), len(params)),
            kink=_kink(where, fields.get("kink"), names),
            primal_name=_text(where, "primal_name", fields.get("primal_name", value.name)),
            identities=_identities(where, fields.get("identities", ())),
            catalogue=_catalogue(name, fields.get("catalogue", ())),
            examples=_examples(where, fields.get("examples", ()), names),
        )


def _text_primal(name: str, fields: Mapping[str, Any], source: str | tuple[str, ...]) -> str:
    """Check a primal given as sympy source text (a string, or a tuple for a vector); it stays text."""
    where = f"exercise {name!r}"
    parts = source if isinstance(source, tuple) else (source,)
    if not parts or not all(isinstance(p, str) and p.strip() for p in parts):
        raise PackError(f"{where}: field `sympy` as text must be a formula string, or a tuple of them")
    params = fields.get("params")
    if not isinstance(params, (list, tuple)) or not all(
        isinstance(p, Param) and p.kind == "scalar" for p in params
    ):
        raise PackError(
            f"{where}: a `sympy` formula given as text needs scalar(...) parameters only; "
            "for vectors and matrices give a function of sympy values"
        )
    for key in ("value", "wrt", "results", "numpy", "derivative", "kink", "primal_name", "identities"):
        if key in fields:
            raise PackError(
                f"{where}: field `{key}` does not go with a `sympy` formula given as text: the derivative "
                "is taken with respect to every parameter, in order, and named by its shape"
            )
    # sympy reads the text when the pack is loaded from a file (loading.py), not here: the
    # built-in sets are declared this way and `grade list` should not import sympy.
    return parts[0]


def _identities(where: str, identities: object) -> tuple[Identity, ...]:
    """Structural facts of a right answer: objects with a `name` and `check(case) -> Verdict | None`."""
    if not isinstance(identities, (list, tuple)):
        raise PackError(f"{where}: field `identities` must be a list of Relation(name, test)")
    for identity in identities:
        name = getattr(identity, "name", None)
        if not isinstance(name, str) or not name or not callable(getattr(identity, "check", None)):
            raise PackError(
                f"{where}: field `identities`: {identity!r} is not an identity; use Relation(name, test), "
                "test(case) returning None when the fact holds, else a Verdict(message)"
            )
    return tuple(identities)


def _text(where: str, key: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise PackError(f"{where}: field `{key}` must be a non-empty string, not {value!r}")
    return value


def _catalogue(name: str, catalogue: object) -> tuple[str, ...]:
    if not isinstance(catalogue, (list, tuple)) or not all(isinstance(c, str) for c in catalogue):
        raise PackError(f"exercise {name!r}: field `catalogue` must be a list of identifiers such as 'SC-07'")
    return tuple(catalogue)


def _params(where: str, params: object) -> tuple[Param, ...]:
    if not isinstance(params, (list, tuple)) or not params:
        raise PackError(
            f"{where}: field `params` is required: a list of scalar(...), vector(...), matrix(...) "
            "or count(...), in the order of the student's function"
        )
    for p in params:
        if not isinstance(p, Param):
            raise PackError(
                f"{where}: field `params`: {p!r} is not a parameter; use scalar(name), vector(name, n), "
                "matrix(name, rows, columns) or count(name, low, high)"
            )
    names = [p.name for p in params]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise PackError(f"{where}: field `params`: {', '.join(twice)} named twice")
    return tuple(params)


def _shared_sizes(where: str, params: Sequence[Param]) -> None:
    seen: dict[str, Size] = {}
    for p in params:
        for s in p.shape:
            if seen.setdefault(s.name, s) != s:
                raise PackError(
                    f"{where}: two sizes are named {s.name!r} with different ranges "
                    f"({seen[s.name].describe()} and {s.describe()}); make one size(...) and share it"
                )


def _wrt(where: str, wrt: object, params: Sequence[Param]) -> tuple[str, ...]:
    allowed = [p.name for p in params if p.differentiable]
    if wrt is None:
        if not allowed:
            raise PackError(f"{where}: no parameter can be differentiated (all are count(...))")
        return tuple(allowed)
    chosen = [wrt] if isinstance(wrt, str) else wrt
    if not isinstance(chosen, (list, tuple)) or not chosen:
        raise PackError(
            f"{where}: field `wrt` must be a parameter name or a list of them; allowed: {allowed}"
        )
    for name in chosen:
        if name not in allowed:
            raise PackError(
                f"{where}: field `wrt`: {name!r} is not a parameter that can be differentiated; allowed: "
                f"{', '.join(allowed)}"
            )
    return tuple(chosen)


def _results(where: str, results: object, wrt: Sequence[str], value: Param) -> tuple[str, ...]:
    if results is None:
        return tuple(f"d{value.name}/d{name}" for name in wrt)
    chosen = [results] if isinstance(results, str) else results
    if (
        not isinstance(chosen, (list, tuple))
        or len(chosen) != len(wrt)
        or not all(isinstance(r, str) and r for r in chosen)
    ):
        raise PackError(
            f"{where}: field `results` must be {len(wrt)} label(s), one per parameter of `wrt` "
            f"({', '.join(wrt)}), such as {[f'd{value.name}/d{n}' for n in wrt]}"
        )
    return tuple(chosen)


def _callable(where: str, key: str, function: object, arity: int) -> Callable[..., Any] | None:
    if function is None:
        return None
    if not callable(function):
        raise PackError(
            f"{where}: field `{key}` must be a function of the {arity} parameters, not {function!r}"
        )
    try:
        inspect.signature(function).bind(*range(arity))
    except TypeError:
        raise PackError(
            f"{where}: field `{key}` must take the {arity} parameters in order; "
            f"{getattr(function, '__name__', key)}{inspect.signature(function)} does not"
        ) from None
    except ValueError:
        pass  # no signature to read (a builtin): it is called and judged by `grade pack check`
    return function


def _mistakes(where: str, mistakes: object, arity: int) -> tuple[Mistake, ...]:
    from grader.checking.diagnosis import HINTS

    if not isinstance(mistakes, (list, tuple)):
        raise PackError(f"{where}: field `mistakes` must be a list of Mistake(name, description, answer)")
    for m in mistakes:
        if not isinstance(m, Mistake):
            raise PackError(f"{where}: field `mistakes`: {m!r} is not a Mistake(name, description, answer)")
        if m.diagnosis not in HINTS:
            raise PackError(
                f"{where}: field `mistakes`: {m.diagnosis!r} is not a mistake class; allowed: "
                f"{', '.join(sorted(HINTS))}"
            )
        _callable(where, f"mistakes ({m.diagnosis}) answer", m.answer, arity)
    return tuple(mistakes)


def _kink(where: str, kink: object, names: Sequence[str]) -> Kink | None:
    if kink is None:
        return None
    if not isinstance(kink, Kink) or not callable(kink.at):
        raise PackError(f"{where}: field `kink` must be Kink(at=function of the parameters, bias='name')")
    if kink.bias not in names:
        raise PackError(
            f"{where}: field `kink`: bias {kink.bias!r} is not a parameter; allowed: {', '.join(names)}"
        )
    return kink


def _examples(where: str, examples: object, names: Sequence[str]) -> tuple[Mapping[str, Any], ...]:
    if not isinstance(examples, (list, tuple)):
        raise PackError(f"{where}: field `examples` must be a list of dicts {{parameter: value}}")
    found: list[Mapping[str, Any]] = []
    for example in examples:
        if not isinstance(example, Mapping) or sorted(example) != sorted(names):
            raise PackError(
                f"{where}: field `examples`: each example is a dict with exactly the keys {', '.join(names)}"
            )
        found.append(dict(example))
    return tuple(found)
