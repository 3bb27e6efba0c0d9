"""The scoring rule: how many points an exercise earns from what its identities found.

An exercise earns its points when every identity holds on every input checked.  Otherwise
it earns 0, unless the instructor turns partial credit on (`partial_credit = true` in an
assignment, `Options.partial_credit`): then a failing exercise earns

    points * k / (n + 1)

where n is the number of parts of its answer (the results the contract names: `dC/dw`
and `dC/db` for `mse_grad`, one for `neuron`) and k the parts that have the contract's
shape and match the reference on every input checked.  The other identities (finite
differences, off-diagonal zeros, the chain rule, BP1-BP4) are evidence for the report, never
points: a constant, a zero or a scaled answer satisfies some of them.  An answer that
raised, hung or could not be loaded (`error`) earns 0, and a failing exercise never earns
full points, since k <= n < n + 1.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RULE", "Parts", "score"]

RULE = (
    "An exercise scores its points only when every identity holds on every input checked; "
    "otherwise 0.  With partial credit (assignment key partial_credit = true) a failing "
    "exercise scores points * k / (n + 1), k of its n result parts having the right shape and "
    "matching the reference on every input; an error (raised, hung, not loadable) scores 0."
)


@dataclass(frozen=True, slots=True)
class Parts:
    """How many parts of an answer are right on every input checked (`right`) of `total`."""

    right: int
    total: int


def score(points: float, status: str, parts: Parts | None) -> float:
    """The points an exercise of `status` earns; `parts` is None without partial credit."""
    if status == "passed":
        return points
    if status != "failed" or parts is None or parts.total < 1:
        return 0.0
    return round(points * min(parts.right, parts.total) / (parts.total + 1), 4)
