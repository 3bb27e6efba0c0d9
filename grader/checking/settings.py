"""How hard grading looks at one exercise, and the seed each exercise is checked with.

The seed of an exercise depends only on the run's seed and the exercise's name, never on
which other exercises run or in what order: the same submission gets the same report.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

__all__ = ["Settings", "exercise_seed"]


@dataclass(frozen=True, slots=True)
class Settings:
    """How hard to look: examples per exercise, input sets per call, the run's seed."""

    seed: int = 0
    examples: int = 100
    batch: int = 4
    exercise_seconds: float = 30.0
    partial_credit: bool = False  # see grader/checking/scoring.py


def exercise_seed(seed: int, name: str) -> int:
    """The seed of one exercise: independent of which other exercises run, and in what order."""
    return zlib.crc32(f"{seed}:{name}".encode()) ^ (seed & 0xFFFFFFFF)
