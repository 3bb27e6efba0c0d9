"""3. Identities judge answers: one exercise checked on planned and searched inputs.

`checker` runs one exercise (Hypothesis draws, the sandbox calls the student, identities
judge), in steps: `settings` (how hard to look), `harness` (the seeded Hypothesis test and
its private home), `run` (the state of one search), `signals` (the exceptions that end it),
`recording` (plans drawn by the search), `replay` (a counterexample called alone, and the
earlier calls it needs), `result` (what it found, as an ExerciseResult) and
`partial` (partial credit's measure).  `plan` keeps the inputs and reference answers drawn
once, `shipped` reads those of the default seed shipped with the package, and `memo` what
identities derive from them; `identities` are the checks, with
`leaves`, `finite_differences` and `rounding` (float32 error scales); `comparison` is the
one comparison of arrays; `diagnosis` names known mistakes; `kink` the ReLU subgradient
check; `formula` checks formula answers (`formula_tree` reads the worker's tree of one,
`simplifier` compares it with the reference by sympy in a forked child); `scoring` turns
results into points.
No module here is named like a name re-exported here (a function `compare` beside a module
`compare` would make `grader.checking.compare` the one or the other by import order).

The modules import numpy and Hypothesis, so the names below are imported on first use
(`grade --help` imports none of them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.checking.checker import caught, check_exercise
    from grader.checking.comparison import Comparison, compare, eps_of, format_array
    from grader.checking.diagnosis import HINTS, WITNESSES, Diagnosis, diagnose, keep_witness
    from grader.checking.formula import (
        SYMBOLIC_NAME,
        SYMBOLIC_SECONDS,
        accepts_formula,
        check_formula,
        reference_entries,
    )
    from grader.checking.identities import (
        FiniteDifferences,
        MatchesReference,
        Relation,
        Shape,
        aligned,
        close,
        copy_input,
        got_value,
        identities_of,
        leaf_pairs,
    )
    from grader.checking.kink import KINK_NAME, check_kink
    from grader.checking.memo import Memo
    from grader.checking.plan import Plan, Planned, forget, keep, kept, key_of, plan_for, prepare
    from grader.checking.recording import plan_exercise
    from grader.checking.scoring import RULE, Parts, score
    from grader.checking.settings import Settings, exercise_seed

__all__ = [
    "HINTS",
    "KINK_NAME",
    "RULE",
    "SYMBOLIC_NAME",
    "SYMBOLIC_SECONDS",
    "WITNESSES",
    "Comparison",
    "Diagnosis",
    "FiniteDifferences",
    "MatchesReference",
    "Memo",
    "Parts",
    "Plan",
    "Planned",
    "Relation",
    "Settings",
    "Shape",
    "accepts_formula",
    "aligned",
    "caught",
    "check_exercise",
    "check_formula",
    "check_kink",
    "close",
    "compare",
    "copy_input",
    "diagnose",
    "eps_of",
    "exercise_seed",
    "forget",
    "format_array",
    "got_value",
    "identities_of",
    "keep",
    "keep_witness",
    "kept",
    "key_of",
    "leaf_pairs",
    "plan_exercise",
    "plan_for",
    "prepare",
    "reference_entries",
    "score",
]

# name -> the module that defines it
_LAZY = {
    name: f"grader.checking.{module}"
    for module, names in (
        ("checker", ("caught", "check_exercise")),
        ("settings", ("Settings", "exercise_seed")),
        ("recording", ("plan_exercise",)),
        ("comparison", ("Comparison", "compare", "eps_of", "format_array")),
        ("diagnosis", ("Diagnosis", "HINTS", "WITNESSES", "diagnose", "keep_witness")),
        (
            "formula",
            ("SYMBOLIC_NAME", "SYMBOLIC_SECONDS", "accepts_formula", "check_formula", "reference_entries"),
        ),
        (
            "identities",
            (
                "FiniteDifferences",
                "MatchesReference",
                "Relation",
                "Shape",
                "aligned",
                "close",
                "copy_input",
                "got_value",
                "identities_of",
                "leaf_pairs",
            ),
        ),
        ("kink", ("KINK_NAME", "check_kink")),
        ("memo", ("Memo",)),
        ("plan", ("Plan", "Planned", "forget", "keep", "kept", "key_of", "plan_for", "prepare")),
        ("scoring", ("Parts", "RULE", "score")),
    )
    for name in names
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'grader.checking' has no attribute {name!r}")
