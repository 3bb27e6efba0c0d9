"""1. A path becomes a `Submission`: a `.py` file's source, or a notebook's code cells.

Nothing here grades or runs student code.  `source` reads the file; `notebook` reads a
Jupyter notebook into its code cells (nbformat is imported when a notebook is read), and
`ipython` recognises the IPython-only lines it leaves out.
"""

from grader.submission.ipython import Skipped, strip_ipython
from grader.submission.notebook import MAX_CELLS, Cell, Notebook, read_notebook
from grader.submission.source import MAX_BYTES, Submission, read_submission

__all__ = [
    "MAX_BYTES",
    "MAX_CELLS",
    "Cell",
    "Notebook",
    "Skipped",
    "Submission",
    "read_notebook",
    "read_submission",
    "strip_ipython",
]
