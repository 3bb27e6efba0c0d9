"""Formula answers, read by the worker and compared there with the reference by sympy.

A formula answer (a string, a sympy expression or nested lists of them) is never read in the
grader: `read` has the worker parse it by the whitelisted grammar of `worker/grammar.py` and
remembers the order of its variables, after which `Sandbox.call` evaluates it at the
arguments; `symbolic` asks the worker whether it simplifies to the reference.  Each request
goes through the Sandbox's `_request` (its deadlines, and a fresh worker after a crash); the
replies are validated by protocol.py, and the symbolic verdict comes from the untrusted worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grader.sandbox.protocol import clean, symbolic_of
from grader.sandbox.records import Limits, Symbolic

__all__ = ["Formulas", "Request"]

# One request other than a call, and how many seconds it may take: the reply, or why none came.
Request = Callable[[dict[str, Any], float], dict[str, Any] | str]


class Formulas:
    """The formula answers the worker has accepted, by name, with the order of their variables."""

    def __init__(self, request: Request, limits: Limits) -> None:
        self._request = request
        self._limits = limits
        self.variables: dict[str, list[str]] = {}

    def read(self, name: str, variables: list[str]) -> str | None:
        """Read the formula answer `name` in the worker: None when it is accepted, else why not.

        Once accepted, `Sandbox.call(name, ...)` evaluates the formula at the arguments, which
        come in the order of `variables`.
        """
        message = {"op": "formula", "name": name, "variables": list(variables)}
        reply = self._request(message, self._limits.call_seconds)
        if isinstance(reply, str):
            return f"the formula could not be read: {reply}"
        if reply.get("ok") is True:
            self.variables[name] = list(variables)
            return None
        return clean(reply.get("message"), 1000) or "the formula cannot be read"

    def symbolic(self, name: str, reference: Any, seconds: float) -> Symbolic:
        """Ask the worker whether the formula answer `name` simplifies to `reference`.

        `reference` is the reference formula as text in the grammar of `worker/grammar.py`: a
        string or nested lists of strings.  The verdict comes from the untrusted worker.
        """
        variables = self.variables.get(name)
        if variables is None:
            return Symbolic(equal=None, reason="the formula was not read")
        message = {"op": "symbolic", "name": name, "variables": variables, "reference": reference}
        message["seconds"] = seconds
        # sympy is imported on the first request: allow for that beyond sympy's own limit.
        reply = self._request(message, seconds + self._limits.load_seconds)
        if isinstance(reply, str):
            return Symbolic(equal=None, reason=f"sympy did not answer: {reply}")
        return symbolic_of(reply)
