"""What is checked: exercises, their identities, their inputs, and which ones a run checks.

`declaration` holds the records an exercise set declares (`Exercise`, `Identity`, `Case`,
`Verdict`, `Mistake` ...); `derived` builds exercises from a sympy primal alone;
`selection` resolves `--only`; `strategies` draws inputs with Hypothesis.  Everything
re-exported here is light: `strategies` (numpy, Hypothesis) is imported as a module,
`from grader.exercise import strategies`, only where inputs are drawn.
"""

from grader.exercise.declaration import (
    Case,
    Exercise,
    FiniteDifference,
    Identity,
    Mistake,
    Verdict,
    flatten,
    spec_of,
)
from grader.exercise.derived import Domain, any_value, from_primal, interval, nonzero
from grader.exercise.selection import select_exercises

__all__ = [
    "Case",
    "Domain",
    "Exercise",
    "FiniteDifference",
    "Identity",
    "Mistake",
    "Verdict",
    "any_value",
    "flatten",
    "from_primal",
    "interval",
    "nonzero",
    "select_exercises",
    "spec_of",
]
