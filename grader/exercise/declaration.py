"""Exercise and Identity: what is checked for one function, on which inputs, against what.

An `Exercise` is a declaration (see `exercises/`): the function name and set of the contract,
its parameters, a lazy Hypothesis strategy of inputs, the reference, the names of its
results, and its identities.  Every exercise gets the standard identities (shape, the
reference, finite differences when it declares a primal) and may add its own: structural
facts a correct answer satisfies ("off-diagonal entries are zero", "BP3: ..."), each a
one-method object that looks at one `Case` and returns a `Verdict` when the fact fails.

Nothing here imports numpy, sympy or hypothesis at module level: `grade list` and
`grade --help` read declarations without paying for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from grader.checking.memo import Memo

__all__ = [
    "Case",
    "Exercise",
    "FiniteDifference",
    "Identity",
    "Mistake",
    "Verdict",
    "flatten",
    "spec_of",
]


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why an identity failed on one case: a message and the values to show."""

    message: str
    expected: Any = None
    got: Any = None
    diagnosis: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """One generated input, the reference's answer and the student's, ready to check.

    `expected` is the reference output (floats and float64 arrays, in tuples and lists);
    `got` has the same structure with `grader.sandbox.Leaf` leaves.  `memo` is the checker's
    cache of what the identities derive from planned inputs alone (grader/checking/memo.py),
    None for inputs drawn outside a plan; an exercise's own identities never need it.
    """

    exercise: Exercise
    inputs: Mapping[str, Any]
    expected: Any
    got: Any
    memo: Memo | None = None

    def args(self) -> tuple[Any, ...]:
        """The inputs in parameter order."""
        return tuple(self.inputs[p] for p in self.exercise.params)


class Identity(Protocol):
    """A named fact about a correct answer; `check` returns None when it holds."""

    @property
    def name(self) -> str: ...

    def check(self, case: Case) -> Verdict | None: ...


@dataclass(frozen=True, slots=True)
class Mistake:
    """A classic wrong answer: `answer(*inputs)` computes it, `diagnosis` names its class."""

    diagnosis: str
    description: str
    answer: Callable[..., Any]


@dataclass(frozen=True, slots=True)
class FiniteDifference:
    """The result labelled `result` is d primal / d `param` (K1 numerator layout).

    `param` may be a tuple of scalar parameters taken together as one vector (a gradient
    in (x, y)); for a list parameter (Ws) item i pairs with the result `result[i]`.
    `elementwise` marks an answer that holds only the diagonal of the Jacobian (a function
    applied element-wise, like sigmoid_prime).
    """

    result: str
    param: str | tuple[str, ...]
    elementwise: bool = False


@dataclass(frozen=True)
class Exercise:
    """The declaration of one exercise of docs/exercises.md."""

    name: str
    set: str
    params: tuple[str, ...]
    task: str
    section: str
    catalogue: tuple[str, ...]
    results: tuple[str, ...]
    inputs: Callable[[], Any]  # () -> SearchStrategy of dicts keyed by params
    reference: Callable[..., Any]
    primal: Callable[..., Any] | None = None
    primal_name: str = ""
    finite_differences: tuple[FiniteDifference, ...] = ()
    identities: tuple[Identity, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    scale: Callable[..., Sequence[Any]] | None = None  # Σ|terms| per result, for float32
    examples: Callable[[], Sequence[Mapping[str, Any]]] | None = None  # always checked
    kink: Callable[[], Sequence[Mapping[str, Any]]] | None = None  # K3 inputs at z = 0
    kink_reference: Callable[..., Any] | None = None  # (*inputs, d) -> answer with H(0) = d
    # (*inputs) -> every ReLU pre-activation z of the computation, an array: the domain keeps
    # them 1e-6 from 0 (K11), and finite differences are skipped where a step crosses 0.
    pre_activations: Callable[..., Any] | None = None
    # (*inputs) -> whether an input set lies in the exercise's domain (K11): shapes, ranges,
    # the kink's margin.  The shrinker (grader/checking/shrink.py) moves only inside it; an
    # exercise without one is shrunk by Hypothesis alone.
    domain: Callable[..., bool] | None = None
    exact: bool = False
    points: float = 1.0
    symbolic: Any = None  # a reference.symbolic.Primal for the sets scalar and jacobians
    hint: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.params)})"


def spec_of(value: Any) -> Any:
    """The structure spec the worker needs, read off a reference output."""
    if isinstance(value, tuple):
        return ["tuple", [spec_of(v) for v in value]]
    if isinstance(value, list):
        return ["list", spec_of(value[0]) if value else "leaf"]
    return "leaf"


def flatten(value: Any, names: Sequence[str]) -> list[tuple[str, Any]]:
    """The leaves of a result structure with their labels: ("dC/dw", leaf), ("dWs[0]", leaf)."""
    if isinstance(value, tuple):
        labels = list(names) if len(names) == len(value) else [f"result {i}" for i in range(len(value))]
        out: list[tuple[str, Any]] = []
        for label, item in zip(labels, value, strict=True):
            if isinstance(item, list):
                out.extend((f"{label}[{i}]", leaf) for i, leaf in enumerate(item))
            else:
                out.append((label, item))
        return out
    if isinstance(value, list):
        label = names[0] if names else "result"
        return [(f"{label}[{i}]", leaf) for i, leaf in enumerate(value)]
    return [(names[0] if names else "result", value)]
