"""The code that runs in the worker process, never in the grader's.

`main.py` (the `Worker`) is run as a script (`python -I -B main.py ...`) and loads the others
by path, under private names and out of sys.modules: `blocker.py` (the import blocker),
`limits.py` (rlimits), `confine.py` (namespaces, private root, private uid), `framing.py`
(the pipes), `answers.py` (arguments in, answers and errors out), `notebook.py` (a notebook's
cells under SIGALRM) and `grammar.py` (formula answers, sent to the grader as a plain tree).
None is imported as a module of this package when grading, and none imports anything of
matgrade.  This file only makes them importable by the tests and the type checker.
"""

__all__: list[str] = []
