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


@dataclass(frozen=True, slots=True)
class Domain:
    """Where a variable is drawn: [low, high], optionally with |v| >= min_magnitude."""

    low: float = -10.0
    high: float = 10.0
    min_magnitude: float = 0.0
    custom: Callable[[], Any] | None = None  # () -> SearchStrategy[float], for odd domains

    def strategy(self) -> Any:
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

        return st.fixed_dictionaries({v: domains[v].strategy() for v in variables})

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
