"""`from matgrade.pack import Pack, size, vector, ...`: the API of an instructor's exercise pack.

See docs/exercise-packs.md.  The names are grader.pack's; importing `matgrade` first checks
that matgrade's own packages are the ones imported (matgrade/__init__.py).
"""

from grader.pack import (
    Kink,
    Mistake,
    Pack,
    Relation,
    Verdict,
    anything,
    count,
    custom,
    interval,
    load_pack,
    matrix,
    nonzero,
    positive,
    scalar,
    size,
    vector,
)

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
