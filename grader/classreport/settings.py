"""The batch's settings as the class report shows them, kept beside the gradebook.

`grade batch` knows its assignment; `grade report OUTDIR` rebuilds the page later without it,
so the batch saves what the page shows in OUTDIR/.matgrade-class.json, read back here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.assignment import Assignment

__all__ = ["SETTINGS_FILE", "Settings", "read_settings", "settings_of", "write_settings"]

SETTINGS_FILE = ".matgrade-class.json"


@dataclass(frozen=True, slots=True)
class Settings:
    """What the batch was graded with: the seed rule, examples and limits (None: not known)."""

    title: str = ""
    seed: str = ""  # "1234", or "per student (derived from the title and name)"
    examples: int | None = None
    timeout: float | None = None
    exercise_timeout: float | None = None
    partial_credit: bool | None = None

    def lines(self) -> tuple[tuple[str, str], ...]:
        """(label, value) pairs for the page, the unknown ones left out."""
        pairs = [
            ("assignment", self.title),
            ("seed", self.seed),
            ("examples per identity", "" if self.examples is None else str(self.examples)),
            ("time limit per call", "" if self.timeout is None else f"{self.timeout:g} s"),
            (
                "time limit per exercise",
                "" if self.exercise_timeout is None else f"{self.exercise_timeout:g} s",
            ),
            (
                "partial credit",
                "" if self.partial_credit is None else ("on" if self.partial_credit else "off"),
            ),
        ]
        return tuple((label, value) for label, value in pairs if value)


def settings_of(assignment: Assignment) -> Settings:
    """The settings `assignment` grades with."""
    seed = str(assignment.seed) if assignment.seed is not None else "per student (from the title and name)"
    return Settings(
        title=assignment.title,
        seed=seed,
        examples=assignment.examples,
        timeout=assignment.timeout,
        exercise_timeout=assignment.exercise_timeout,
        partial_credit=assignment.partial_credit,
    )


def write_settings(outdir: Path, settings: Settings) -> None:
    """Save `settings` beside the gradebook (whole or not at all)."""
    from grader.batch.gradebook import write_atomic

    write_atomic(outdir / SETTINGS_FILE, json.dumps(asdict(settings), indent=1) + "\n")


def read_settings(outdir: Path) -> Settings:
    """The settings a batch saved in `outdir`; empty ones when there are none or they cannot be read."""
    try:
        data = json.loads((outdir / SETTINGS_FILE).read_text(encoding="utf-8"))
        return Settings(
            title=str(data.get("title", "")),
            seed=str(data.get("seed", "")),
            examples=None if data.get("examples") is None else int(data["examples"]),
            timeout=None if data.get("timeout") is None else float(data["timeout"]),
            exercise_timeout=None
            if data.get("exercise_timeout") is None
            else float(data["exercise_timeout"]),
            partial_credit=None if data.get("partial_credit") is None else bool(data["partial_credit"]),
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return Settings()
