"""The symbolic comparison of a formula answer with the reference, by sympy, under an itimer.

Both formulas come compiled by the grammar (grammar.py); sympy's `simplify` of each entry's
difference decides.  It runs under SIGALRM, repeated, so that it cannot overrun its seconds.
"""

from __future__ import annotations

import contextlib
import signal
from typing import Any


def flat(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [leaf for item in value for leaf in flat(item)]
    return [value]


def nested_shape(value: Any) -> tuple[int, ...]:
    if isinstance(value, list):
        return (len(value), *(nested_shape(value[0]) if value else ()))
    return ()


class TimeUp(BaseException):
    """The symbolic comparison ran out of time (a BaseException: sympy catches Exception)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Any:
    def expire(signum: int, frame: Any) -> None:
        raise TimeUp

    previous = signal.signal(signal.SIGALRM, expire)
    # Again every 0.05 s: an exception raised while a gc callback or a __del__ runs is
    # swallowed ("Exception ignored in ..."), so one alarm is not enough.
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01), 0.05)
    try:
        yield
    finally:
        while True:  # an alarm may still arrive before the timer is off
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                break
            except TimeUp:
                continue
        signal.signal(signal.SIGALRM, previous)



def differences(student: Any, reference: Any, sympy: Any, seconds: float) -> list[list[Any]]:
    """[entry, the simplified difference as text, whether it is a nonzero constant] per entry that differs.

    `student` and `reference` are compiled formulas of the same shape.  Raises TimeUp past `seconds`.
    """
    found: list[list[Any]] = []
    with time_limit(seconds):
        pairs = zip(flat(student.sympy(sympy)), flat(reference.sympy(sympy)), strict=True)
        for index, (got, expected) in enumerate(pairs):
            difference = sympy.simplify(got - expected)
            if difference != 0:
                constant = bool(difference.is_number) and difference.is_zero is False
                text = str(difference)
                if len(text) > 60 and difference.is_number:
                    text = f"{sympy.N(difference, 6)!s} (about)"
                text = text if len(text) <= 300 else text[:297] + "..."
                found.append([index, text, constant])
    return found
