"""A validated declaration of a pack made into the `Exercise` every built-in is.

The inputs are drawn with grader/exercise/strategies.py (the sizes with their corners: every
side 1, square, every side at its largest; the entries with their structure families and
range ends), the reference is sympy's derivative or the instructor's numpy one, the primal
gives the finite-difference identity, and the generic diagnoses (transpose, sign, factor,
swapped results, shape) need nothing declared.  A declared kink (z = an expression of the
inputs, shifted by a bias parameter) keeps every drawn z at least MARGIN from 0 (K11) and
adds the K3 check at inputs with one z exactly 0.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from grader.errors import PackError
from grader.exercise.declaration import Exercise, FiniteDifference, Identity, Mistake
from grader.pack.declare import Param, Size
from grader.pack.domain import domain_of
from grader.pack.symbolic import SympyPrimal

__all__ = ["Kink", "PackInfo", "Spec", "build_exercise", "result_shapes"]


@dataclass(frozen=True, slots=True)
class Kink:
    """A ReLU kink at z = `at(*inputs)` = (something) + `bias`: z is an array (or float) of the bias's shape.

    The inputs are drawn with every |z| >= 0.01 (the bias moved where needed), finite
    differences skip a step that crosses z = 0, and K3 is checked at inputs where one z is 0.
    """

    at: Callable[..., Any]
    bias: str


@dataclass(frozen=True, slots=True)
class PackInfo:
    """What a starter, `grade list` and the report's hint say of a pack exercise (Exercise.extra["pack"])."""

    pack: str
    path: str
    inputs: tuple[str, ...]
    returns: tuple[str, ...]
    conventions: tuple[str, ...]
    form: str  # "sympy", "numpy", or "sympy + numpy"


@dataclass(frozen=True)
class Spec:
    """One exercise as the instructor declared it, validated (grader/pack/pack.py)."""

    name: str
    set: str
    path: str
    params: tuple[Param, ...]
    value: Param
    wrt: tuple[str, ...]
    results: tuple[str, ...]
    task: str
    section: str
    hint: str
    points: float
    sympy: Callable[..., Any] | str | tuple[str, ...] | None
    numpy: Callable[..., Any] | None
    derivative: Callable[..., Any] | None
    mistakes: tuple[Mistake, ...]
    kink: Kink | None
    examples: tuple[Mapping[str, Any], ...]
    primal_name: str = ""  # how the finite-difference identity names the primal (default: the value's name)
    catalogue: tuple[str, ...] = ()  # matgrade's catalogue ids (spec/catalogue.md), for the built-in sets
    identities: tuple[Identity, ...] = ()  # structural facts of a right answer (Relation)

    @property
    def where(self) -> str:
        return f"{self.path}: exercise {self.name!r}"

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)


def result_shapes(spec: Spec) -> tuple[str, ...]:
    """The shape of each result in words (K1, K2): "shape (n, n)", "a float"."""
    out = []
    for name in spec.wrt:
        dims = [s.name for s in spec.value.shape] + [s.name for s in spec.param(name).shape]
        if not dims:
            out.append("a float")
        else:
            comma = "," if len(dims) == 1 else ""
            note = f", the shape of {name}" if spec.value.kind == "scalar" else ""
            out.append(f"shape ({', '.join(dims)}{comma}){note}")
    return tuple(out)


def _conventions(spec: Spec) -> tuple[str, ...]:
    found = []
    if spec.value.kind == "vector" and any(spec.param(n).kind != "scalar" for n in spec.wrt):
        found.append("K1")
    found.append("K2")
    if spec.kink is not None:
        found.append("K3")
    if len(spec.wrt) > 1:
        found.append("K10")
    if any(p.kind == "count" for p in spec.params):
        found.append("K13")
    return tuple(found)


def _sizes(params: Sequence[Param]) -> list[Size]:
    return list(dict.fromkeys(s for p in params for s in p.shape))


def _as_float64(value: Any) -> Any:
    """A float for a 0-d answer, a float64 array otherwise; tuples and lists kept."""
    import numpy as np

    if isinstance(value, tuple):
        return tuple(_as_float64(v) for v in value)
    if isinstance(value, list):
        return [_as_float64(v) for v in value]
    array = np.asarray(value, dtype=np.float64)
    return float(array) if array.ndim == 0 else array


def _inputs(spec: Spec) -> Callable[[], Any]:
    sizes = _sizes(spec.params)
    kink = spec.kink

    def inputs() -> Any:
        from hypothesis import strategies as st

        from grader.exercise import strategies

        arrays = [p for p in spec.params if p.kind in ("vector", "matrix")]
        specs = [
            strategies.elements(min_value=p.domain.low, max_value=p.domain.high, min_magnitude=p.domain.least)
            for p in arrays
        ]
        singles = {
            p.name: (
                st.integers(min_value=int(p.domain.low), max_value=int(p.domain.high))
                if p.kind == "count"
                else _scalar_domain(p).strategy()
            )
            for p in spec.params
            if p.kind in ("scalar", "count")
        }

        @st.composite
        def draw(draw: Any) -> dict[str, Any]:
            drawn = (
                strategies.dimensions(draw, len(sizes), max_sides=tuple(s.high for s in sizes))
                if sizes
                else []
            )
            side = {s: max(s.low, d) for s, d in zip(sizes, drawn, strict=True)}
            fields = [(tuple(side[s] for s in p.shape), e) for p, e in zip(arrays, specs, strict=True)]
            values = dict(zip((p.name for p in arrays), strategies.arrays(draw, *fields), strict=True))
            values.update((name, draw(strategy)) for name, strategy in singles.items())
            found = {p.name: values[p.name] for p in spec.params}
            if kink is not None:
                _off_kink(spec, kink, found)
            return found

        return draw()

    return inputs


def _scalar_domain(param: Param) -> Any:
    """The grader.exercise.derived.Domain of a scalar: its ends and special values drawn too."""
    from grader.exercise.derived import Domain

    d = param.domain
    return Domain(d.low, d.high, d.least, d.custom, d.admits_custom)


def build_formula_exercise(spec: Spec, source: str | tuple[str, ...]) -> Exercise:
    """An exercise whose primal is sympy source text over scalar parameters: the built-ins' own path.

    It is made by grader.exercise.derived.from_primal, as the sets `scalar` and `jacobians` are:
    the reference is reference.symbolic.Primal's derivative, and the exercise may be answered
    with a formula (README, "Formula answers").
    """
    from grader.exercise.derived import from_primal
    from reference.symbolic import Primal

    exercise = from_primal(
        name=spec.name,
        set=spec.set,
        primal=Primal(source, tuple(p.name for p in spec.params)),
        domains={p.name: _scalar_domain(p) for p in spec.params},
        task=spec.task,
        section=spec.section,
        catalogue=spec.catalogue,
        mistakes=spec.mistakes,
        examples=tuple(spec.examples),
        hint=spec.hint,
        points=spec.points,
    )
    return replace(exercise, domain=domain_of(spec.params))


MARGIN = 0.01  # grader.exercise.strategies.MARGIN: |z| >= MARGIN off the kink (K11)


def _off_kink(spec: Spec, kink: Kink, inputs: dict[str, Any]) -> None:
    """Move the bias (in place) so that every |z| >= MARGIN; z is affine in the bias with slope 1."""
    import numpy as np

    z = np.asarray(kink.at(*inputs.values()), dtype=np.float64)
    bias = np.asarray(inputs[kink.bias], dtype=np.float64)
    if z.shape != bias.shape:
        raise PackError(
            f"{spec.where}: field `kink`: z = at(...) has shape {z.shape} but the bias "
            f"{kink.bias!r} has shape {bias.shape}; z must be (something) + {kink.bias}"
        )
    near = np.abs(z) < MARGIN
    if near.any():
        target = np.where(z >= 0, 2 * MARGIN, -2 * MARGIN)
        moved = bias + np.where(near, target - z, 0.0)
        inputs[kink.bias] = float(moved) if moved.ndim == 0 else moved


def _kink_inputs(spec: Spec, kink: Kink) -> Callable[[], Sequence[Mapping[str, Any]]]:
    """Inputs of small integers with z_0 = 0 exactly and every other z a nonzero integer."""

    def inputs() -> list[dict[str, Any]]:
        import numpy as np

        rng = np.random.default_rng(3)
        found = []
        for pick in ("low", "high"):
            side = {s: (s.low if pick == "low" else min(s.high, 3)) for s in _sizes(spec.params)}
            case: dict[str, Any] = {}
            for p in spec.params:
                shape = tuple(side[s] for s in p.shape)
                low, high = max(p.domain.low, -2), min(p.domain.high, 2)
                ints = rng.integers(int(np.ceil(low)), int(np.floor(high)) + 1, size=shape).astype(np.float64)
                if p.domain.least > 0:
                    ints = np.where(np.abs(ints) < p.domain.least, np.ceil(p.domain.least), ints)
                case[p.name] = (
                    int(ints) if p.kind == "count" else (float(ints) if p.kind == "scalar" else ints)
                )
            z = np.asarray(kink.at(*case.values()), dtype=np.float64)
            bias = np.asarray(case[kink.bias], dtype=np.float64)
            wanted = np.where(np.arange(z.size).reshape(z.shape) == 0, 0.0, np.where(z > 0, 1.0, -1.0))
            moved = bias - np.round(z) + wanted  # z is an integer; the bias moves it to `wanted`
            case[kink.bias] = float(moved) if moved.ndim == 0 else moved
            found.append(case)
        return found

    return inputs


def _symbolic_functions(
    spec: Spec, symbolic: SympyPrimal
) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    """The primal, the reference and the reference with H(0) = d, from the sympy primal."""
    value_size = spec.value.shape[0] if spec.value.shape else None
    wrt = [spec.param(n) for n in spec.wrt]

    def derived(args: Sequence[Any]) -> Any:
        import numpy as np

        shapes = tuple(np.shape(a) for a in args)
        sides = {
            s: n
            for p, shape in zip(spec.params, shapes, strict=True)
            for s, n in zip(p.shape, shape, strict=True)
        }
        size = sides.get(value_size) if value_size is not None else None
        flat = [float(v) for a in args for v in np.ravel(np.asarray(a, dtype=np.float64))]
        return symbolic.at(shapes, size), flat, shapes

    def primal(*args: Any) -> Any:
        import numpy as np

        d, flat, _ = derived(args)
        values = np.array(d.value(*flat), dtype=np.float64)
        return float(values[0]) if not d.value_shape else values

    def at(*args: Any, h0: float = 0.5) -> Any:
        import numpy as np

        d, flat, shapes = derived(args)
        matrix = np.array(d.jacobian(*flat, h0), dtype=np.float64).reshape(-1, sum(d.columns))
        out, start = [], 0
        for param, width in zip(wrt, d.columns, strict=True):
            shape = shapes[spec.params.index(param)]
            block = matrix[:, start : start + width].reshape(d.value_shape + shape)
            out.append(float(block) if block.ndim == 0 else block)
            start += width
        return out[0] if len(out) == 1 else tuple(out)

    def reference(*args: Any) -> Any:
        return at(*args)

    def kink_reference(*args: Any) -> Any:
        return at(*args[:-1], h0=float(args[-1]))

    return primal, reference, kink_reference


def _guarded(spec: Spec, what: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, whose failure (the instructor's code) is a PackError naming the exercise and input."""

    def guarded(*args: Any) -> Any:
        try:
            return function(*args)
        except PackError:
            raise
        except Exception as exc:
            raise PackError(
                f"{spec.where}: the pack's {what} raised {type(exc).__name__}: {exc}; "
                f"`grade pack check {spec.path}` shows the input"
            ) from None

    return guarded


def _takes_h0(function: Callable[..., Any]) -> bool:
    try:
        return "h0" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def _numpy_functions(
    spec: Spec,
) -> tuple[Callable[..., Any] | None, Callable[..., Any] | None, Callable[..., Any] | None]:
    """The primal, the reference and the reference with H(0) = d (when it takes h0) in numpy."""
    primal = reference = kink_reference = None
    numpy_primal, numpy_derivative = spec.numpy, spec.derivative
    if numpy_primal is not None:

        def primal(*args: Any) -> Any:
            return _as_float64(numpy_primal(*args))

    if numpy_derivative is not None:

        def reference(*args: Any) -> Any:
            return _as_float64(numpy_derivative(*args))

        if _takes_h0(numpy_derivative):

            def kink_reference(*args: Any) -> Any:
                return _as_float64(numpy_derivative(*args[:-1], h0=float(args[-1])))

    return primal, reference, kink_reference


def build_exercise(spec: Spec) -> Exercise:
    """The Exercise of a validated declaration: numpy's functions where given, else sympy's."""
    symbolic: tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]] | None = None
    if callable(spec.sympy):
        derived = SympyPrimal(spec.sympy, spec.params, spec.value, spec.wrt, spec.where)
        symbolic = _symbolic_functions(spec, derived)
        # Derived once at the smallest sizes now, so that a malformed primal fails on loading.
        low = {s: s.low for s in _sizes([*spec.params, spec.value])}
        derived.at(
            tuple(tuple(low[s] for s in p.shape) for p in spec.params),
            low.get(spec.value.shape[0]) if spec.value.shape else None,
        )
    primal, reference, kink_reference = _numpy_functions(spec)
    extra: dict[str, Any] = {}
    if symbolic is not None:
        if reference is not None:
            extra["pack_sympy_reference"] = symbolic[1]  # `grade pack check` compares the two
        else:
            kink_reference = symbolic[2]
        primal = primal or symbolic[0]
        reference = reference or symbolic[1]
    assert primal is not None and reference is not None  # pack.py requires one form or the other
    primal, reference = _guarded(spec, "primal", primal), _guarded(spec, "reference", reference)
    if kink_reference is not None:
        kink_reference = _guarded(spec, "reference at the kink", kink_reference)
    form = " + ".join(
        f for f, given in (("sympy", spec.sympy), ("numpy", spec.derivative)) if given is not None
    )
    info = PackInfo(
        pack=spec.set,
        path=spec.path,
        inputs=tuple(p.describe() for p in spec.params),
        returns=result_shapes(spec),
        conventions=_conventions(spec),
        form=form,
    )
    kink = spec.kink
    arrays = {p.name for p in spec.params if p.kind in ("vector", "matrix", "scalar")}
    examples = tuple({k: _as_float64(v) if k in arrays else v for k, v in e.items()} for e in spec.examples)
    return Exercise(
        name=spec.name,
        set=spec.set,
        params=tuple(p.name for p in spec.params),
        task=spec.task,
        section=spec.section,
        catalogue=spec.catalogue,
        results=spec.results,
        inputs=_inputs(spec),
        reference=reference,
        primal=primal,
        primal_name=spec.primal_name or spec.value.name,
        finite_differences=tuple(FiniteDifference(r, p) for r, p in zip(spec.results, spec.wrt, strict=True)),
        mistakes=spec.mistakes,
        identities=spec.identities,
        examples=(lambda: examples) if examples else None,
        kink=_kink_inputs(spec, kink) if kink is not None and kink_reference is not None else None,
        kink_reference=kink_reference if kink is not None else None,
        pre_activations=kink.at if kink is not None else None,
        domain=domain_of(spec.params),
        points=spec.points,
        hint=spec.hint,
        extra={"pack": info, **extra},
    )
