"""The class report of a batch: what a whole class gets wrong, as one page and one CSV.

`write_class_report(outdir)` reads a `grade batch` output folder (gradebook.csv and each
student's report.json: `roster`), computes the figures (`statistics`), and writes
OUTDIR/class-report.html (`page`, with `charts`) and OUTDIR/mistakes.csv (`mistakes`), without
grading anyone.  `grade batch` calls it at its end; `grade report OUTDIR` calls it alone.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from grader.classreport.roster import Roster, gather
from grader.classreport.settings import Settings, read_settings, settings_of, write_settings
from grader.classreport.statistics import ClassFigures, Mistake, figures, top_mistakes

__all__ = [
    "ClassFigures",
    "ClassReport",
    "Mistake",
    "Roster",
    "Settings",
    "figures",
    "gather",
    "settings_of",
    "top_mistakes",
    "write_class_report",
]

PAGE = "class-report.html"
MISTAKES = "mistakes.csv"


@dataclass(frozen=True, slots=True)
class ClassReport:
    """What was written, and the figures it shows."""

    page: Path
    mistakes: Path
    figures: ClassFigures
    roster: Roster


def write_class_report(
    outdir: str | Path, settings: Settings | None = None, *, date: str | None = None
) -> ClassReport:
    """Write OUTDIR/class-report.html and OUTDIR/mistakes.csv from the batch output in `outdir`.

    `settings`: the batch's, saved beside the gradebook for the next `grade report`; None
    reads the saved ones.  Raises UsageError when `outdir` holds no gradebook, OutputError
    when the files cannot be written.
    """
    from grader import __version__
    from grader.batch.gradebook import write_atomic
    from grader.classreport.mistakes import write_mistakes
    from grader.classreport.page import render_page
    from grader.errors import OutputError

    out = Path(outdir)
    roster = gather(out)
    found = figures(roster)
    when = date or _today()
    page, mistakes = out / PAGE, out / MISTAKES
    try:
        if settings is not None:
            write_settings(out, settings)
        shown = settings if settings is not None else read_settings(out)
        write_atomic(page, render_page(roster, found, shown, __version__, when))
        write_mistakes(mistakes, roster)
    except OSError as exc:
        raise OutputError(f"cannot write the class report in {out}: {exc.strerror or exc}") from exc
    return ClassReport(page=page, mistakes=mistakes, figures=found, roster=roster)


def _today() -> str:
    """The page's date: now, or SOURCE_DATE_EPOCH's (reproducible builds), for byte-identical runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        if epoch.isdigit()
        else datetime.datetime.now(datetime.UTC)
    )
    return moment.strftime("%Y-%m-%d %H:%M UTC")
