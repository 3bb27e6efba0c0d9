"""K3: at the ReLU kink z = 0 every subgradient H(0) = d with d in [0, 1] is a right answer.

The exercise gives inputs with exactly one unit at z = 0 (exactly, in float64) and the
reference as a function of d.  The answer is affine in d, so the d the student used is
read off by least squares; it passes when d lies in [0, 1] and the answer equals the
reference at that d.  The report says which convention the student used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from grader.checking.comparison import compare
from grader.checking.diagnosis import diagnose
from grader.exercise import Case, Exercise, flatten, spec_of
from grader.report import Counterexample, IdentityResult, plain
from grader.sandbox import Crashed, Leaf, Missing, Raised, Returned, Sandbox

__all__ = ["KINK_NAME", "check_kink"]

KINK_NAME = "any subgradient is accepted at the kink z = 0 (K3)"


def _vector(value: object, names: tuple[str, ...]) -> NDArray[np.float64]:
    """The leaves of a result, flattened into one float64 vector."""
    return np.concatenate([np.ravel(np.asarray(v, dtype=np.float64)) for _, v in flatten(value, names)])


def _convention(d: float) -> str:
    for value, text in ((0.0, "H(0) = 0"), (1.0, "H(0) = 1"), (0.5, "H(0) = 1/2")):
        if abs(d - value) < 1e-9:
            return text
    return f"H(0) = {d:.6g}"


def check_kink(exercise: Exercise, sandbox: Sandbox) -> IdentityResult:
    """Call the student on the exercise's kink inputs and judge them as K3 says."""
    assert exercise.kink is not None
    conventions = []
    for inputs in exercise.kink():
        judged = _at_kink(exercise, sandbox, inputs)
        if isinstance(judged, IdentityResult):
            return judged
        conventions.append(judged)
    used = ", ".join(dict.fromkeys(conventions))
    return IdentityResult(
        name=KINK_NAME, status="passed", message=f"at z = 0 you used {used}; that is accepted"
    )


def _at_kink(exercise: Exercise, sandbox: Sandbox, inputs: Mapping[str, Any]) -> IdentityResult | str:
    """The failure at one kink input, or the convention H(0) the answer used there."""
    assert exercise.kink_reference is not None
    names = exercise.results
    args = tuple(inputs[p] for p in exercise.params)
    at0 = exercise.kink_reference(*args, 0.0)
    at1 = exercise.kink_reference(*args, 1.0)
    [outcome] = sandbox.call(exercise.name, spec_of(at0), [args])
    shown = {k: plain(v) for k, v in inputs.items()}
    if isinstance(outcome, (Crashed, Raised, Missing)):
        text = getattr(outcome, "reason", None) or getattr(outcome, "message", "is a stub")
        return IdentityResult(
            name=KINK_NAME,
            status="error",
            message=f"your function failed at the kink: {text}",
            counterexample=Counterexample(inputs=shown, expected=None, got=None),
        )
    assert isinstance(outcome, Returned)
    got = flatten(outcome.value, names)
    if len(got) != len(flatten(at0, names)) or any(not isinstance(leaf, Leaf) for _, leaf in got):
        return IdentityResult(
            name=KINK_NAME,
            status="failed",
            message="cannot be checked at the kink: the answer does not have the contract's parts",
            diagnosis="shape",
            counterexample=Counterexample(inputs=shown, expected=plain(at0), got=None),
        )
    g = np.concatenate([np.ravel(leaf.values) for _, leaf in got])
    a0, a1 = _vector(at0, names), _vector(at1, names)
    if g.size != a0.size:
        return IdentityResult(
            name=KINK_NAME,
            status="failed",
            message=(
                f"cannot be checked at the kink: the answer has {g.size} entries; {a0.size} were expected"
            ),
            diagnosis="shape",
            counterexample=Counterexample(inputs=shown, expected=plain(at0), got=plain(g)),
        )
    direction = a1 - a0
    d = float(np.dot(g - a0, direction) / np.dot(direction, direction))
    best = a0 + min(max(d, 0.0), 1.0) * direction
    dtype = got[0][1].dtype
    if not (-1e-9 <= d <= 1 + 1e-9) or not compare(g, best, dtype=dtype).ok:
        # A declared mistake made with the nearest convention, else the mask itself.
        nearest = exercise.kink_reference(*args, min(max(d, 0.0), 1.0))
        recognised = diagnose(Case(exercise=exercise, inputs=inputs, expected=nearest, got=outcome.value))
        why = recognised.description if recognised else "is the mask computed from z = w.x + b?"
        return IdentityResult(
            name=KINK_NAME,
            status="failed",
            message=(
                f"at z = 0 the answer must be the reference with some H(0) in [0, 1]; yours is not ({why})"
            ),
            diagnosis=recognised.name if recognised else "missing-mask",
            counterexample=Counterexample(
                inputs=shown,
                expected={"H(0) = 0": plain(at0), "H(0) = 1": plain(at1)},
                got=plain(g),
            ),
        )
    return _convention(min(max(d, 0.0), 1.0))
