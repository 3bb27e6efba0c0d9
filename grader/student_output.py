"""StudentOutput: what a student's code printed, as a report shows it.

The worker's stdout and stderr (both the Python streams and file descriptors 1 and 2, so a C
extension or a subprocess is heard too) go to one pipe that the grader drains
(grader/sandbox/capture.py).  Of everything printed while the submission loaded, or
during one exercise, the first SHOWN_BYTES are kept as text; the rest is only counted, so a
flood is cut and said to be cut, never lost without a word.  The text is the student's, never
matgrade's: every format labels it "your output", apart from matgrade's own messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["SHOWN_BYTES", "StudentOutput"]

SHOWN_BYTES = 4 * 1024  # of the output of a load or an exercise; the rest is counted, not kept


@dataclass(frozen=True, slots=True)
class StudentOutput:
    """The first SHOWN_BYTES of what the student's code printed, and how much more there was.

    `text` is decoded as UTF-8 (invalid bytes replaced) with control characters shown escaped
    (grader/sandbox/protocol.py).  `truncated_bytes` counts the bytes printed after the text;
    None when the worker was stopped (a timeout) after it had printed more than the text: how
    much it wrote before it was stopped depends on the machine's speed, so it is not counted.
    """

    text: str
    truncated_bytes: int | None = 0

    @property
    def truncated(self) -> bool:
        return self.truncated_bytes != 0

    @property
    def cut_note(self) -> str:
        """ "... 1234 more bytes (output truncated)", or "" when nothing was cut."""
        if self.truncated_bytes is None:
            return "... more output, not counted: the worker was stopped while it ran (output truncated)"
        if self.truncated_bytes:
            unit = "byte" if self.truncated_bytes == 1 else "bytes"
            return f"... {self.truncated_bytes} more {unit} (output truncated)"
        return ""

    def lines(self) -> list[str]:
        """The text as lines (a final newline ends the last line, it starts no new one)."""
        lines = self.text.split("\n")
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "truncated_bytes": self.truncated_bytes}
