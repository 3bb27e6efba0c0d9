"""Exercises declared by a sympy primal alone: the reference, inputs and identities follow.

`from_primal` turns a `reference.symbolic.Primal`, the domain of each variable and the
catalogue facts into an `Exercise`: its reference is sympy's derivative (lambdified), its
inputs are drawn from the domains, its finite-difference identity uses the primal itself,
and its results are named from the shape of the derivative.  Adding such an exercise is a
few lines (see exercises/scalar.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from grader.exercise.declaration import Exercise, FiniteDifference, Mistake

__all__ = ["Domain", "any_value", "from_primal", "interval", "nonzero"]


# Values with structure a plain draw almost never meets: small integers, several scales.
_SPECIAL = (0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.5, -0.5, 1e-3, -1e-3)


@dataclass(frozen=True, slots=True)
class Domain:
    """Where a variable is drawn: [low, high], optionally with |v| >= min_magnitude.

    A custom strategy draws odd domains; `admits` then says which values lie in it (so that
    the ends and special values can be drawn there too; without it, they are not).
    One draw in eight is an end of the domain exactly (low, high, +-min_magnitude), one in
    eight a special value (0, small integers, 0.5, 1e-3), each only where the domain
    admits it; the rest are plain draws.
    """

    low: float = -10.0
    high: float = 10.0
    min_magnitude: float = 0.0
    custom: Callable[[], Any] | None = None  # () -> SearchStrategy[float], for odd domains
    admits_custom: Callable[[float], bool] | None = None  # the custom domain's test

    def admits(self, value: float) -> bool:
        """Whether `value` lies in the domain (for a custom one: its `admits_custom` says so)."""
        if not (self.low <= value <= self.high and abs(value) >= self.min_magnitude):
            return False
        if self.custom is not None:
            return self.admits_custom is not None and bool(self.admits_custom(value))
        return True

    def ends(self) -> tuple[float, ...]:
        """The values where the domain ends, exactly, that lie in it."""
        found = (self.low, self.high, self.min_magnitude, -self.min_magnitude)
        return tuple(float(v) for v in dict.fromkeys(found) if v != 0.0 and self.admits(v))

    def strategy(self) -> Any:
        from hypothesis import strategies as st

        plain = self._plain()
        ends = self.ends()
        special = tuple(v for v in _SPECIAL if self.admits(v))
        if not ends and not special:
            return plain
        which = st.integers(min_value=0, max_value=7)
        picks = {
            6: st.sampled_from(ends) if ends else plain,
            7: st.sampled_from(special) if special else plain,
        }

        @st.composite
        def draw(draw: Any) -> float:
            # one draw says which; only the chosen value is drawn (and 0 shrinks to the plain one)
            value: float = draw(picks.get(draw(which), plain))
            return value

        return draw()

    def _plain(self) -> Any:
        from grader.exercise import strategies

        if self.custom is not None:
            return self.custom()
        if self.min_magnitude > 0:
            if self.low >= 0:
                return strategies.floats(
                    min_value=max(self.low, self.min_magnitude), max_value=self.high
                )
            return strategies.away_from_zero(
                min_magnitude=self.min_magnitude, max_magnitude=max(-self.low, self.high)
            )
        return strategies.floats(min_value=self.low, max_value=self.high)


def any_value() -> Domain:
    """Any value of magnitude up to 10 (K11)."""
    return Domain()


def interval(low: float, high: float) -> Domain:
    """low <= v <= high."""
    return Domain(low=low, high=high)


def nonzero(min_magnitude: float = 0.1) -> Domain:
    """|v| >= min_magnitude, up to 10."""
    return Domain(min_magnitude=min_magnitude)


def _result_names(primal: Any) -> tuple[str, ...]:
    if primal.is_vector:
        return ("Jacobian",) if len(primal.variables) > 1 else ("derivative",)
    return ("gradient",) if len(primal.variables) > 1 else ("derivative",)


def from_primal(
    *,
    name: str,
    set: str,
    primal: Any,
    domains: Mapping[str, Domain],
    task: str,
    section: str,
    catalogue: tuple[str, ...],
    mistakes: tuple[Mistake, ...] = (),
    examples: tuple[Mapping[str, float], ...] = (),
    hint: str = "",
    points: float = 1.0,
) -> Exercise:
    """An Exercise whose reference and checks are derived from a sympy primal."""
    variables = primal.variables
    if sorted(domains) != sorted(variables):
        raise ValueError(f"{name}: domains {sorted(domains)} do not match variables {variables}")

    def inputs() -> Any:
        from hypothesis import strategies as st

        drawn = st.fixed_dictionaries({v: domains[v].strategy() for v in variables})
        if len(variables) < 2:
            return drawn
        # One input set in eight has equal arguments (x = y), where both domains allow it.
        return st.builds(_tie, drawn, st.integers(min_value=0, max_value=7))

    def _tie(values: dict[str, float], which: int) -> dict[str, float]:
        first, *others = variables
        if which == 7:
            for other in others:
                if domains[other].admits(values[first]):
                    values[other] = values[first]
        return values

    def reference(*args: float) -> Any:
        return primal.derivative_function()(*args)

    def function(*args: float) -> Any:
        return primal.function()(*args)

    param: str | tuple[str, ...] = variables[0] if len(variables) == 1 else tuple(variables)
    source = primal.source if isinstance(primal.source, str) else f"[{', '.join(primal.source)}]"
    return Exercise(
        name=name,
        set=set,
        params=tuple(variables),
        task=task,
        section=section,
        catalogue=catalogue,
        results=_result_names(primal),
        inputs=inputs,
        reference=reference,
        primal=function,
        primal_name=f"f = {source}",
        finite_differences=(FiniteDifference(result=_result_names(primal)[0], param=param),),
        mistakes=mistakes,
        examples=(lambda: examples) if examples else None,
        symbolic=primal,
        hint=hint,
        points=points,
    )
