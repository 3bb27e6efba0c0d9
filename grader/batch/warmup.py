"""What a batch does once before it forks: imports and shared inputs, so each child starts warm.

Forked children inherit the parent's memory: modules imported, the symbolic references'
first lambdify, and the plans (inputs and reference answers) that two students or more
share are paid for once here instead of once per student.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.batch.survey import Submission
    from grader.grading import Options

__all__ = ["prepare_shared", "warm"]


def warm() -> None:
    """Import what grading imports on first use, once, so that each forked child starts warm."""
    import importlib

    import sympy

    from exercises import all_exercises

    for module in (
        "hypothesis",
        "hypothesis.strategies",
        "numpy.random",
        "concurrent.futures",
        "grader.checking.checker",
        "grader.exercise.strategies",
        "grader.submission.source",
        "grader.sandbox.sandbox",
    ):
        importlib.import_module(module)
    all_exercises()
    # The symbolic references are lambdified on first use; the first lambdify loads numpy's
    # whole namespace (about half a second), which would otherwise be paid in every child.
    x = sympy.Symbol("x")
    sympy.lambdify(x, x, "numpy")


def prepare_shared(queue: Sequence[tuple[Submission, Options, str]]) -> None:
    """Draw, before forking, the inputs that two students or more are graded on.

    Students with the same seed and examples get the same inputs; drawing them (and their
    reference values) once here saves each forked child the work (grader/checking/plan.py).  With
    `seed = "student"` every student has their own, and each child draws its own.
    """
    from collections import Counter

    from grader.grading import prepare

    shared = Counter((options.seed, options.examples, options.only) for _, options, _ in queue)
    for _, options, _ in queue:
        key = (options.seed, options.examples, options.only)
        if shared.get(key, 0) >= 2:
            prepare(options)
            del shared[key]
