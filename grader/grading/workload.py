"""How `grade --jobs N` deals a submission's exercises into N groups of about equal cost.

Deterministic: the same exercises and jobs give the same groups, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.exercise import Exercise

__all__ = ["split"]

# CPU milliseconds per exercise at 100 examples (drawing, reference, judging; measured with
# check_exercise on examples/correct.py), and the one-off cost of importing sympy and its first
# lambdify in a process that grades a symbolic exercise (set so the two jobs of --jobs 2 end together).
_COST = {
    "scalar": 55,
    "jacobians": 65,
    "elementwise": 90,
    "reductions": 75,
    "neuron": 70,
    "loss": 85,
    "backprop": 80,
}
_SYMPY_START = 650
# The same where every plan is shipped (grader/checking/shipped.py): judging only, grader and
# worker CPU (2026-12-07, examples/correct.py, one job); sympy is then needed only for a failure.
_PLANNED_COST = {
    "scalar": 7,
    "jacobians": 8,
    "elementwise": 12,
    "reductions": 10,
    "neuron": 9,
    "loss": 11,
    "backprop": 14,
}


def split(exercises: Sequence[Exercise], jobs: int, *, planned: bool = False) -> list[list[Exercise]]:
    """Deal the exercises into `jobs` groups of about equal cost (greedy, deterministic).

    The exercises declared by a sympy primal stay together: each process that grades one
    pays for sympy's first lambdify (where the plans are drawn, or a failure is searched).
    `planned`: every plan is shipped, so an exercise costs its judging alone.  Empty groups
    are left out.
    """
    symbolic = [e for e in exercises if e.symbolic is not None]
    units: list[list[Exercise]] = [[e] for e in exercises if e.symbolic is None]
    if symbolic:
        units.append(symbolic)
    costs, start = (_PLANNED_COST, 0) if planned else (_COST, _SYMPY_START)

    def cost(unit: list[Exercise]) -> int:
        return (start if unit[0].symbolic is not None else 0) + sum(costs.get(e.set, 80) for e in unit)

    groups: list[list[Exercise]] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    for unit in sorted(units, key=lambda u: -cost(u)):
        i = loads.index(min(loads))
        groups[i].extend(unit)
        loads[i] += cost(unit)
    return [g for g in groups if g]
