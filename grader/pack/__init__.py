"""Exercise packs: an instructor's own exercises, declared by their primal, graded like the built-ins.

A pack file (trusted: it runs in the grader, never in the worker) makes one `Pack` and adds
its exercises; matgrade derives the reference (sympy) or takes the instructor's (numpy),
draws the inputs from the declared shapes and domains, and checks every answer with the
identities of the built-in exercises.  `load_pack` puts a pack's exercises in the catalogue
of this process (`grade --pack`, `packs = [...]` in an assignment, `check(fn, pack=...)`);
`check_pack` is `grade pack check`.  docs/exercise-packs.md is the tutorial.

Instructors import it as `matgrade.pack`.
"""

from grader.checking.identities import Relation
from grader.exercise.declaration import Mistake, Verdict
from grader.pack.build import Kink
from grader.pack.declare import (
    anything,
    count,
    custom,
    interval,
    matrix,
    nonzero,
    positive,
    scalar,
    size,
    vector,
)
from grader.pack.loading import load_pack
from grader.pack.pack import Pack

__all__ = [
    "Kink",
    "Mistake",
    "Pack",
    "Relation",
    "Verdict",
    "anything",
    "count",
    "custom",
    "interval",
    "load_pack",
    "matrix",
    "nonzero",
    "positive",
    "scalar",
    "size",
    "vector",
]
