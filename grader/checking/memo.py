"""The memo of a planned input set: what the identities derive from the inputs alone.

None of it depends on the student, so it is computed once per planned input set (when the
plan is drawn, or when an identity first needs it) and serves every submission judged on
the plan.  A `Case` judged on planned inputs carries its memo; a case the search draws
carries none, and the identities then compute what they need each time.

Nothing here imports numpy at run time (`grade --help` imports this package's `__init__`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

__all__ = ["CentralDifference", "Memo", "Where"]

# Which parameter a finite difference moves: (parameter names, item of a list parameter).
# Several names are scalar parameters taken together as one vector.
Where = tuple[tuple[str, ...], int | None]


@dataclass(frozen=True, slots=True)
class CentralDifference:
    """The grader's side of a finite-difference check along one direction.

    `direction` is u, `values` the central difference (f(p + h u) - f(p - h u)) / 2h, and
    `atol` its absolute tolerance.  `smooth` is False when the step crosses a ReLU kink
    (`Exercise.pre_activations` changes sign along it): the difference then says nothing
    about the derivative, and the identity is not checked there.
    """

    direction: NDArray[np.float64]
    values: NDArray[np.float64]
    atol: float
    smooth: bool = True


@dataclass(slots=True)
class Memo:
    """What the identities computed from one planned input set; each field None until needed.

    Mutable on purpose: it is a cache that fills as identities ask, shared by every
    submission judged on the plan.
    """

    differences: dict[tuple[Where, float], CentralDifference] = field(default_factory=dict)
    """Central differences by (the parameter moved, the step)."""
    scales: list[ArrayLike] | None = None
    """The exercise's declared error scale of each result (`Exercise.scale`)."""
    sensitivity: list[NDArray[np.float64]] | None = None
    """Each result's first-order change under relative moves of the inputs (rounding.py)."""
    digest: int | None = None
    """The checksum of the inputs that seeds the finite differences' directions."""
