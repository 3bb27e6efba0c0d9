"""The service's settings, read once at start-up from the command line: a frozen record.

Every other module receives this record; none reads the environment or the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.assignment import Assignment
    from grader.service.rules import Rules

__all__ = ["Course", "Settings", "sqlite_url"]


@dataclass(frozen=True, slots=True)
class Course:
    """One assignment the service accepts: its name (the TOML file's stem), file, parsed form and rules."""

    name: str
    path: Path
    assignment: Assignment
    rules: Rules


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the data lives, which assignments are served, and how grading runs."""

    data: Path
    database: str
    courses: tuple[Course, ...] = ()
    jobs: int = 2
    scheduler: str | None = None  # a Dask scheduler address: grade there instead of locally
    job_seconds: float | None = None  # a grading's wall-time budget; None: from the assignment
    trusted: bool = False  # grade without the isolation other people's code needs (tests only)
    upload_seconds: float = 60.0  # an upload's body must arrive within this (slow-loris clients)

    def course(self, name: str) -> Course | None:
        """The served assignment named `name`, or None."""
        return next((c for c in self.courses if c.name == name), None)

    @property
    def uploads(self) -> Path:
        return self.data / "uploads"

    @property
    def results(self) -> Path:
        return self.data / "results"


def sqlite_url(data: Path) -> str:
    """The default database: DIR/matgrade.sqlite3."""
    return f"sqlite:///{(data / 'matgrade.sqlite3').resolve()}"
