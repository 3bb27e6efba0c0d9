"""The figures of the class report, computed from a Roster: pure functions of frozen records.

Scores (mean, median, histogram, each exercise's mean) are the gradebook's; attempts, passes,
mistakes and the exercise x identity matrix are the reports'.  A mistake is counted once per
student and exercise however many identities it explains; its share is of the students who
attempted the exercise.  Its representative counterexample is the smallest one among those
students' (fewest numbers in the inputs, then in all its values, then the student's name), so
that the page is the same for the same folder.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from grader.classreport.roster import CATEGORIES, Attempt, Failure, Roster, StudentRecord

__all__ = [
    "Bin",
    "Cell",
    "ClassFigures",
    "ExerciseFigures",
    "Mistake",
    "figures",
    "top_mistakes",
]

BINS = 10  # the histogram's bars, each a tenth of the maximum score...
WHOLE_BINS = 20  # ...or one per whole point, up to this many points
SHOWN_MISTAKES = 5  # per exercise on the page


@dataclass(frozen=True, slots=True)
class Mistake:
    """A named mistake of one exercise: how many students made it, their share, one example."""

    exercise: str
    name: str
    count: int
    share: float  # of the students who attempted the exercise
    example: Failure


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the exercise x identity matrix: students who failed that kind of identity."""

    exercise: str
    category: str
    failed: int
    checked: int  # students on whom that kind of identity was evaluated

    @property
    def share(self) -> float:
        return self.failed / self.checked if self.checked else 0.0


@dataclass(frozen=True, slots=True)
class ExerciseFigures:
    """One exercise across the class."""

    name: str
    max_score: float
    attempted: int
    passed: int
    graded: int  # students with a score for it in the gradebook
    mean_score: float | None  # over the graded students; None when nobody was
    mistakes: tuple[Mistake, ...]
    unnamed: int  # students who failed it with no named mistake
    cells: tuple[Cell, ...]

    @property
    def pass_rate(self) -> float:
        """Passed of attempted (0 when nobody attempted it)."""
        return self.passed / self.attempted if self.attempted else 0.0


@dataclass(frozen=True, slots=True)
class Bin:
    """A bar of the histogram: scores in [low, high) (the last one holds the maximum too)."""

    low: float
    high: float
    count: int


@dataclass(frozen=True, slots=True)
class ClassFigures:
    """The class at a glance, per exercise, and the students the batch could not grade."""

    students: int
    graded: int
    submitted: int
    mean: float | None
    median: float | None
    max_score: float
    histogram: tuple[Bin, ...]
    exercises: tuple[ExerciseFigures, ...]
    broken: tuple[StudentRecord, ...]  # invalid, crashed, timed-out, not-graded


def _size(value: object) -> int:
    """How many numbers a plain JSON value holds."""
    if isinstance(value, list):
        return sum(_size(v) for v in value)
    return 1


def _smallness(failure: Failure) -> tuple[int, int, str, str]:
    """Fewest numbers in the inputs, then in all three values, then by student and identity."""
    example = failure.counterexample
    if example is None:
        return (1 << 30, 0, failure.student, failure.identity)
    numbers = sum(_size(v) for v in example.inputs.values())
    return (
        numbers,
        numbers + _size(example.expected) + _size(example.got),
        failure.student,
        failure.identity,
    )


def _histogram(scores: list[float], max_score: float) -> tuple[Bin, ...]:
    """A bar per whole point (the last one holds the maximum) up to WHOLE_BINS points, else BINS bars."""
    if max_score <= 0:
        return ()
    whole = max_score == int(max_score) and max_score <= WHOLE_BINS
    bars = int(max_score) + 1 if whole else BINS
    width = 1.0 if whole else max_score / BINS
    counts = [0] * bars
    for score in scores:
        counts[min(bars - 1, max(0, int(score / width + 1e-9)))] += 1
    return tuple(Bin(i * width, (i + 1) * width, counts[i]) for i in range(bars))


_Attempted = list[tuple[StudentRecord, Attempt, list[Failure]]]  # of one exercise, with its failures


def _attempted(roster: Roster) -> dict[str, _Attempted]:
    """Each exercise's attempts (missing ones left out), with the student and their failures on it."""
    found: dict[str, _Attempted] = {name: [] for name in roster.exercises}
    for record in roster.students:
        failures: dict[str, list[Failure]] = {}
        for failure in record.failures:
            failures.setdefault(failure.exercise, []).append(failure)
        for attempt in record.attempts:
            if attempt.status != "missing" and attempt.exercise in found:
                found[attempt.exercise].append((record, attempt, failures.get(attempt.exercise, [])))
    return found


def _exercise(
    roster: Roster, name: str, attempted: _Attempted, scores: list[dict[str, float | None]]
) -> ExerciseFigures:
    present = [s for row in scores if (s := row.get(name)) is not None]
    examples: dict[str, list[Failure]] = {}
    unnamed = 0
    for _, attempt, mine in attempted:
        if attempt.status not in ("failed", "error"):
            continue
        names = {f.diagnosis for f in mine if f.diagnosis}
        if not names:
            unnamed += 1
        for mistake in names:
            examples.setdefault(mistake, []).append(
                min((f for f in mine if f.diagnosis == mistake), key=_smallness)
            )
    counts = Counter({mistake: len(found) for mistake, found in examples.items()})
    mistakes = tuple(
        Mistake(name, mistake, count, count / len(attempted), min(examples[mistake], key=_smallness))
        for mistake, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    cells = []
    checked = [dict(a.checked) for _, a, _ in attempted]
    for category in CATEGORIES:
        verdicts = [kinds[category] for kinds in checked if category in kinds]
        cells.append(Cell(name, category, sum(verdicts), len(verdicts)))
    return ExerciseFigures(
        name=name,
        max_score=roster.max_score_of(name),
        attempted=len(attempted),
        passed=sum(1 for _, a, _ in attempted if a.status == "passed"),
        graded=len(present),
        mean_score=statistics.fmean(present) if present else None,
        mistakes=mistakes,
        unnamed=unnamed,
        cells=tuple(cells),
    )


def figures(roster: Roster) -> ClassFigures:
    """Every figure of the class report of `roster`."""
    scores = [r.score for r in roster.students]
    graded = [dict(r.scores) for r in roster.students if r.graded]  # the gradebook's cells
    max_score = max((r.max_score for r in roster.students), default=0.0)
    return ClassFigures(
        students=len(roster.students),
        graded=sum(1 for r in roster.students if r.graded),
        submitted=sum(1 for r in roster.students if r.submitted),
        mean=statistics.fmean(scores) if scores else None,
        median=statistics.median(scores) if scores else None,
        max_score=max_score,
        histogram=_histogram(scores, max_score),
        exercises=tuple(
            _exercise(roster, name, attempts, graded) for name, attempts in _attempted(roster).items()
        ),
        broken=tuple(r for r in roster.students if not r.graded),
    )


def top_mistakes(found: ClassFigures, most: int = 3) -> tuple[Mistake, ...]:
    """The `most` most common named mistakes of the class, across exercises (ties by exercise order)."""
    ranked = sorted((m for e in found.exercises for m in e.mistakes), key=lambda m: (-m.count, -m.share))
    return tuple(ranked[:most])
