"""Recognises the IPython-only lines of a notebook cell; no student code runs here.

IPython-only lines (`%magic`, `!shell`, `obj?`, `x = !cmd`, `get_ipython()...`) are not
Python: they are replaced by `pass` (so that line numbers and blocks stay as written) and
listed as `Skipped`.  A cell magic (`%%bash`, `%%writefile`...) skips its whole cell, except
`%%time` and `%%capture`, whose body Jupyter runs as ordinary Python.  A line only counts as
IPython-only where a statement starts: inside a string or brackets it is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Skipped", "shown", "strip_ipython"]

_BODY_MAGICS = frozenset({"time", "capture"})  # cell magics whose body runs as plain Python
_SHOWN = 80  # characters of a skipped line kept for the report

# The notebook's text reaches the report: terminal controls and bidirectional overrides are
# shown escaped, as sandbox.py does for the worker's text, so they cannot redraw a report.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ASSIGNED = re.compile(r"[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[!%]")


@dataclass(frozen=True, slots=True)
class Skipped:
    """An IPython-only line that was not run: its cell, its line in the cell, its text."""

    cell: int
    line: int
    text: str
    whole_cell: bool = False  # a cell magic such as %%bash: none of the cell ran


class _Scanner:
    """Follows strings, brackets and continuations over lines, to find statement starts."""

    def __init__(self) -> None:
        self.quote: str | None = None  # the open string's closing quote
        self.raw = False
        self.depth = 0
        self.continued = False

    @property
    def at_statement(self) -> bool:
        return self.quote is None and self.depth == 0 and not self.continued

    def feed(self, line: str) -> str:
        """Advance over `line`; return its code outside strings and comments, stripped."""
        code: list[str] = []
        i, n = 0, len(line)
        while i < n:
            if self.quote is not None:
                if line[i] == "\\" and not self.raw:
                    i += 2
                elif line.startswith(self.quote, i):
                    i += len(self.quote)
                    self.quote = None
                    code.append("s")  # the string, as one placeholder character
                else:
                    i += 1
                continue
            char = line[i]
            if char == "#":
                break
            if char in "'\"":
                quote = line[i : i + 3] if line[i : i + 3] in ('"""', "'''") else char
                start = i
                while start > 0 and line[start - 1].isalpha():
                    start -= 1
                self.raw = "r" in line[start:i].lower()
                self.quote = quote
                i += len(quote)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            code.append(char)
            i += 1
        text = "".join(code).strip()
        ends_with_backslash = line.rstrip("\r\n").endswith("\\")
        if self.quote is not None and len(self.quote) == 1 and not ends_with_backslash:
            self.quote = None  # an unterminated string: Python will say so
        self.continued = self.quote is None and text.endswith("\\")
        return text


def shown(text: str, limit: int = _SHOWN) -> str:
    """Student text as a report shows it: cut to `limit` and with control characters escaped."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text[:limit])


def _ipython_only(stripped: str, code: str, single: bool) -> bool:
    """Whether a statement starting with `stripped` (code `code`) is IPython syntax."""
    if stripped[:1] in ("!", "%", "?"):
        return True
    if _ASSIGNED.match(stripped):
        return True
    # `?` is never Python outside strings: `np.dot?`, `f??` ask for help.
    return single and (code.endswith("?") or stripped.startswith("get_ipython("))


def strip_ipython(source: str, cell: int) -> tuple[str, list[Skipped]]:
    """Replace the IPython-only lines of one cell's source by `pass`; list what was skipped."""
    lines = source.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].strip()
        name = magic[2:].split(maxsplit=1)[0] if len(magic) > 2 else ""
        if name not in _BODY_MAGICS:
            return "", [Skipped(cell, first + 1, shown(magic), whole_cell=True)]
        magic_line = [Skipped(cell, first + 1, shown(magic))]
        body, more = strip_ipython("\n".join(["", *lines[first + 1 :]]), cell)
        return "\n" * first + body, magic_line + [
            Skipped(s.cell, s.line + first, s.text, s.whole_cell) for s in more
        ]
    out: list[str] = []
    skipped: list[Skipped] = []
    scanner = _Scanner()
    skipping = False  # inside the backslash continuation of a skipped line
    for number, line in enumerate(lines, start=1):
        if skipping:
            out.append("")
            skipping = line.rstrip().endswith("\\")
            continue
        stripped = line.strip()
        if scanner.at_statement and stripped:
            probe = _Scanner()
            code = probe.feed(line)
            single = probe.at_statement
            if _ipython_only(stripped, code, single):
                indent = line[: len(line) - len(line.lstrip())]
                out.append(indent + "pass")
                skipped.append(Skipped(cell, number, shown(stripped)))
                skipping = stripped.endswith("\\")
                continue
        scanner.feed(line)
        out.append(line)
    return "\n".join(out) + ("\n" if source.endswith("\n") else ""), skipped
