"""The code that runs in the worker process, never in the grader's.

`main.py` is run as a script (`python -I -B main.py ...`) and loads `grammar.py` by path:
neither is imported as a module of this package when grading, and neither imports anything
of matgrade.  This file only makes them importable by the tests.
"""

__all__: list[str] = []
