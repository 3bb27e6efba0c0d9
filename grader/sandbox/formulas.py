"""Formula answers, read by the worker and handed back to the grader as plain data.

A formula answer (a string, a sympy expression or nested lists of them) is never parsed in the
grader: `read` has the worker parse it by the whitelisted grammar of `worker/grammar.py` and
remembers the order of its variables, after which `Sandbox.call` evaluates it at the
arguments; `tree` asks the worker for the parsed formula as a JSON tree of the grammar's nodes,
which the grader checks again and compares with the reference on its own side
(grader/checking/formula_tree.py).  No reference formula or value is ever sent to the worker.
Each request goes through the Sandbox's `_request` (its deadlines, and a fresh worker after a
crash); the tree is returned as it came, untrusted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grader.sandbox.protocol import clean
from grader.sandbox.records import Limits

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

    def tree(self, name: str) -> tuple[Any, str]:
        """The accepted formula `name` as the worker's plain tree, and "" ; or (None, why not).

        The tree is untrusted JSON: `grader.checking.formula_tree.read_tree` validates it.
        """
        variables = self.variables.get(name)
        if variables is None:
            return None, "the formula was not read"
        reply = self._request({"op": "tree", "name": name, "variables": variables}, self._limits.call_seconds)
        if isinstance(reply, str):
            return None, f"the worker did not send the formula: {reply}"
        if reply.get("ok") is not True or "tree" not in reply:
            return None, clean(reply.get("message"), 300) or "the worker did not send the formula"
        return reply["tree"], ""
