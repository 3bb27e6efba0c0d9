"""`from matgrade.pack import Pack, size, vector, ...`: the API of an instructor's exercise pack.

See docs/exercise-packs.md.  The names are grader.pack's; importing `matgrade` first checks
that matgrade's own packages are the ones imported (matgrade/__init__.py).
"""

from grader.pack import *  # noqa: F403 - the re-export is the point
from grader.pack import __all__  # noqa: F401 - the same names, listed once in grader/pack
