"""`grade list`: the sets and their exercises, with a student's status when a report is given.

A `Listing` is built from the exercise declarations and, optionally, the Report of grading
a submission (grader.grading.grade); it never grades anything itself.  `render_listing_text`
and `render_listing_json` turn it into the terminal view and JSON (schema matgrade.list/1).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from grader.render.text import COLOURS, MARKS, paint, wrap

if TYPE_CHECKING:
    from grader.exercise import Exercise
    from grader.report import ExerciseResult, Report

__all__ = ["Entry", "Listing", "build_listing", "render_listing_json", "render_listing_text"]

SCHEMA = "matgrade.list/1"


@dataclass(frozen=True, slots=True)
class Entry:
    """One exercise as a student sees it, and its result when a submission was graded."""

    name: str
    set: str
    signature: str
    task: str
    section: str
    catalogue: tuple[str, ...]
    conventions: tuple[str, ...]
    result: ExerciseResult | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """The sets (name, title) and their entries, in contract order; `report` when graded."""

    sets: tuple[tuple[str, str], ...]
    entries: tuple[Entry, ...]
    report: Report | None = None


def build_listing(exercises: Sequence[Exercise], report: Report | None = None) -> Listing:
    """The listing of `exercises`, each with its result in `report` when one is given."""
    from exercises.conventions import conventions_of, set_title

    results = {r.name: r for r in report.exercises} if report is not None else {}
    entries = tuple(
        Entry(
            name=e.name,
            set=e.set,
            signature=e.signature,
            task=e.task,
            section=e.section,
            catalogue=e.catalogue,
            conventions=conventions_of(e),
            result=results.get(e.name),
        )
        for e in exercises
    )
    names = dict.fromkeys(e.set for e in exercises)
    return Listing(sets=tuple((s, set_title(s)) for s in names), entries=entries, report=report)


def _wrap(text: str, width: int, indent: str, hang: int = 4) -> list[str]:
    """`text` at `indent`, cut at spaces to `width` columns, continued `hang` columns further in."""
    return wrap(indent + text, width, hang=len(indent.lstrip(" ")) + hang)


def _row(lead: str, shown: str, entry: Entry, pad: int, width: int) -> list[str]:
    """The signature, then the section in its column, wrapped inside that column.

    When the column leaves under 20 columns the section goes on a line of its own instead.
    """
    column = len(lead) + pad + 2
    if column + len(entry.section) <= width or not entry.section:
        return [f"{shown}{entry.signature:<{pad}}  {entry.section}".rstrip()]
    if width - column >= 20:
        lines = _wrap(entry.section, width - column, "", hang=0)
        head = f"{shown}{entry.signature:<{pad}}  {lines[0]}"
        return [head, *(" " * column + line for line in lines[1:])]
    return [f"{shown}{entry.signature}", *_wrap(entry.section, width, " " * (len(lead) + 4), hang=0)]


def render_listing_text(listing: Listing, *, colour: bool = False, width: int = 80) -> str:
    """The terminal view: per set a title, per exercise its signature, section and task.

    Wrapped to `width` columns, except a signature longer than the line.  A submission that
    could not be loaded shows its error and its status, `unloadable`, and no exercise.
    """
    report = listing.report
    out: list[str] = []
    if report is not None:
        out += [f"matgrade: {report.submission}   seed {report.seed}"]
        for error in report.all_errors:
            first, *rest = error.splitlines() or [""]
            lines = _wrap(first, width, "error: ", hang=0)
            out += [paint("error: ", "31", colour) + lines[0][len("error: ") :], *lines[1:], *rest]
        out.append("")
        if not report.loaded:
            why = "the submission could not be loaded, so nothing was graded"
            out += _wrap(why, width, "status: unloadable; ")
            return "\n".join(out) + "\n"
    pad = max((len(e.signature) for e in listing.entries), default=10)
    for name, title in listing.sets:
        members = [e for e in listing.entries if e.set == name]
        head = _wrap(f"{name} ({len(members)}): {title}", width, "")
        out.append(paint(f"{name}", "1", colour) + head[0][len(name) :])
        out += head[1:]
        for entry in members:
            lead, shown = "  ", "  "
            result = entry.result
            if report is not None:
                status = result.status if result is not None else "missing"
                score = f"{result.score:g}/{result.max_score:g}" if result is not None else ""
                lead += f"{MARKS[status]} {score:>9}  "
                shown += paint(MARKS[status], COLOURS[status], colour) + f" {score:>9}  "
            out += _row(lead, shown, entry, pad, width)
            out += _wrap(entry.task, width, " " * (len(lead) + 4), hang=0)
        out.append("")
    from exercises.conventions import sources_text

    out += [*_wrap(sources_text(), width, "", hang=0), ""]
    sets = len(listing.sets)
    count = len(listing.entries)
    if report is None:
        summary = (
            f"{count} exercises in {sets} sets; `grade start SET` writes a starter file, "
            "`grade FILE` grades it, `grade list FILE` shows its status (the contract: docs/exercises.md)."
        )
    else:
        counts = {s: 0 for s in ("passed", "failed", "error", "missing")}
        for entry in listing.entries:
            counts[entry.result.status if entry.result is not None else "missing"] += 1
        tally = ", ".join(f"{n} {s}" for s, n in counts.items())
        summary = (
            f"status: {report.status}; score {report.score:g}/{report.max_score:g}: {tally}; "
            f"`grade {report.submission}` shows each failure"
        )
    out += _wrap(summary, width, "", hang=2)
    return "\n".join(out) + "\n"


def _entry_dict(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": entry.name,
        "signature": entry.signature,
        "task": entry.task,
        "section": entry.section,
        "catalogue": list(entry.catalogue),
        "conventions": list(entry.conventions),
    }
    if entry.result is not None:
        data.update(status=entry.result.status, score=entry.result.score, max_score=entry.result.max_score)
    return data


def render_listing_json(listing: Listing) -> str:
    """The listing as JSON: sets with their exercises, and status and score when graded."""
    report = listing.report
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "submission": None if report is None else report.submission,
        "seed": None if report is None else report.seed,
        "errors": [] if report is None else list(report.all_errors),
        "sets": [
            {
                "name": name,
                "title": title,
                "exercises": [_entry_dict(e) for e in listing.entries if e.set == name],
            }
            for name, title in listing.sets
        ],
    }
    if report is not None:
        data["status"] = report.status
        data["score"] = report.score
        data["max_score"] = report.max_score
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
