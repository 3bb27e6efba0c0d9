"""The records of a grading run: frozen dataclasses from the counterexample up to the Report.

Results never render themselves (see `grader.render`); `Report.to_dict()` is the one place
where the JSON shape of `docs/report.md` (schema `matgrade.report/1`) is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

# Both live in modules of their own and stay importable from here, with the records.
from grader.cell_errors import cell_error_text
from grader.plain import plain
from grader.sandbox.policy import Layer
from grader.student_output import StudentOutput

if TYPE_CHECKING:
    from grader.submission import Skipped

__all__ = [
    "SCHEMA",
    "VISIBILITIES",
    "CellError",
    "Counterexample",
    "Environment",
    "ExerciseResult",
    "ExerciseStatus",
    "IdentityResult",
    "IdentityStatus",
    "NotebookRun",
    "Report",
    "ReportStatus",
    "StudentOutput",
    "Visibility",
    "cell_error_text",
    "plain",
]

SCHEMA = "matgrade.report/1"

IdentityStatus = Literal["passed", "failed", "error", "skipped"]
ExerciseStatus = Literal["passed", "failed", "error", "missing"]
# What happened to a whole submission, in the same words in every format (and in the batch
# gradebook, which adds `invalid`, `crashed` and `timed-out` for what never reached a report).
ReportStatus = Literal["passed", "incomplete", "failed", "error", "unloadable"]
# Who sees an exercise's result on Gradescope, in its own four words: an assignment sets it per
# exercise and the Gradescope renderer writes it; neither owns it, so it is named here.
Visibility = Literal["hidden", "after_due_date", "after_published", "visible"]
VISIBILITIES: tuple[Visibility, ...] = ("hidden", "after_due_date", "after_published", "visible")


@dataclass(frozen=True, slots=True)
class Counterexample:
    """The smallest failing input found, with what was expected and what came back.

    `inputs`, `expected` and `got` are already plain JSON values (see `grader.plain`).
    """

    inputs: dict[str, Any]
    expected: Any
    got: Any

    def to_dict(self) -> dict[str, Any]:
        return {"inputs": self.inputs, "expected": self.expected, "got": self.got}


@dataclass(frozen=True, slots=True)
class IdentityResult:
    """The verdict on one identity of one exercise."""

    name: str
    status: IdentityStatus
    message: str = ""
    diagnosis: str | None = None
    counterexample: Counterexample | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "diagnosis": self.diagnosis,
            "counterexample": None
            if self.counterexample is None
            else self.counterexample.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class ExerciseResult:
    """The verdict on one exercise: its identities, score and a hint when it failed.

    `suggestion` is, for a `missing` exercise, the near-miss name the submission defines
    instead (its `message` says so too); it is not part of the JSON report.  `output` is what
    the student's code printed while this exercise was checked (every call), or None.
    """

    name: str
    set: str
    status: ExerciseStatus
    score: float
    max_score: float
    identities: tuple[IdentityResult, ...] = ()
    hint: str = ""
    examples: int = 0
    message: str = ""
    suggestion: str | None = None
    output: StudentOutput | None = None

    @classmethod
    def zero(
        cls,
        name: str,
        set: str,
        max_score: float,
        status: ExerciseStatus,
        message: str,
        *,
        identities: tuple[IdentityResult, ...] = (),
        hint: str = "",
        suggestion: str | None = None,
    ) -> ExerciseResult:
        """A result that earns nothing and tried no input: missing, refused, or never graded."""
        return cls(
            name,
            set,
            status,
            0.0,
            max_score,
            identities,
            hint=hint,
            message=message,
            suggestion=suggestion,
        )

    @classmethod
    def refused(
        cls, name: str, set: str, max_score: float, message: str, identity: str, why: str, hint: str = ""
    ) -> ExerciseResult:
        """An `error` before any input was tried: the answer is not something we can grade."""
        failed = IdentityResult(name=identity, status="error", message=why)
        return cls.zero(name, set, max_score, "error", message, identities=(failed,), hint=hint)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "set": self.set,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "message": self.message,
            "hint": self.hint,
            "examples": self.examples,
            "identities": [i.to_dict() for i in self.identities],
            "output": None if self.output is None else self.output.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class CellError:
    """A notebook cell that raised, was stopped or killed the worker; later cells still ran.

    `type` is the exception's name, "Timeout" (over the time limit per cell) or "Crash" (the
    worker died: the cell was left out).  `line` is in the cell; `traceback` holds only
    frames of the student's cells.
    """

    cell: int
    code_cell: int
    type: str
    message: str
    line: int | None = None
    traceback: str = ""

    @property
    def label(self) -> str:
        """How a report names the cell: "cell 4 (code cell 3)"."""
        from grader.submission.notebook import cell_label

        return cell_label(self.cell, self.code_cell)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cell": self.cell,
            "code_cell": self.code_cell,
            "type": self.type,
            "message": self.message,
            "line": self.line,
            "traceback": self.traceback,
        }


@dataclass(frozen=True, slots=True)
class NotebookRun:
    """How a notebook's code cells ran: how many, the IPython-only lines left out, the failures."""

    code_cells: int
    skipped: tuple[Skipped, ...] = ()
    cell_errors: tuple[CellError, ...] = ()
    upgraded_from: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code_cells": self.code_cells,
            "upgraded_from": self.upgraded_from,
            "skipped": [
                {"cell": s.cell, "line": s.line, "text": s.text, "whole_cell": s.whole_cell}
                for s in self.skipped
            ],
            "cell_errors": [e.to_dict() for e in self.cell_errors],
        }


@dataclass(frozen=True, slots=True)
class Environment:
    """How the student's code was confined for this report: whose code, and each layer."""

    trust: str  # "own", "others" or "trusted" (grader/sandbox/policy.py, Trust)
    layers: tuple[Layer, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "trust": self.trust,
            "layers": [{"name": x.name, "active": x.active, "detail": x.detail} for x in self.layers],
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one run of `grade` found, in exercise order."""

    submission: str
    seed: int
    exercises: tuple[ExerciseResult, ...]
    # What went wrong beyond the notebook's cells (a load error; no assigned exercise defined).
    # A failed cell is a record in `notebook.cell_errors`; `all_errors` lists both as prose.
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    loaded: bool = True
    notebook: NotebookRun | None = None  # for a .ipynb submission
    assigned: bool = False  # the exercises were named by an assignment: missing ones count
    # Advice on the run itself, not on the submission (matgrade's own work overran an
    # exercise's time limit: lower --examples).  Shown in the text report; never in JSON,
    # which stays byte-identical for a seed however fast the machine is.
    advice: tuple[str, ...] = field(default=(), compare=False)
    # What the submission printed while it was loaded (its top level; a notebook's cells).
    load_output: StudentOutput | None = None
    environment: Environment | None = None  # None when no worker greeted (unloadable)
    # Seconds the worker took to run the file's top level (its imports), charged to
    # `load_seconds` and never to a call; measured only when timing is on (MATGRADE_TIMING=1),
    # and then in the JSON as "timing", which is wall time and so not byte-identical.
    # Neither it nor `advice` takes part in `==`: two reports of the same submission and
    # seed are equal however fast the machine was (bench/bench_grade.py compares them).
    load_seconds: float | None = field(default=None, compare=False)

    @property
    def score(self) -> float:
        return round(sum(e.score for e in self.exercises), 6)

    @property
    def max_score(self) -> float:
        return round(sum(e.max_score for e in self.exercises), 6)

    @property
    def all_errors(self) -> tuple[str, ...]:
        """Every error as a student reads it: each failed cell's, then `errors` (the JSON's "errors")."""
        cells = () if self.notebook is None else self.notebook.cell_errors
        return (*(cell_error_text(e) for e in cells), *self.errors)

    @property
    def attempted(self) -> tuple[ExerciseResult, ...]:
        return tuple(e for e in self.exercises if e.status != "missing")

    @property
    def status(self) -> ReportStatus:
        """`passed` only when every exercise graded passed; else what went wrong first.

        `unloadable` (the file could not be loaded), `failed` (an answer is wrong), `error`
        (a function raised, hung or returned no numbers), `incomplete` (some exercises are
        not defined; all of them for a file that defines none).
        """
        if not self.loaded:
            return "unloadable"
        statuses = {e.status for e in self.exercises}
        if "failed" in statuses:
            return "failed"
        if "error" in statuses:
            return "error"
        if "missing" in statuses or not self.exercises:
            return "incomplete"
        return "passed"

    @property
    def exit_code(self) -> int:
        """0 when every attempted exercise passed, 1 when one failed, 2 when unloadable.

        Nothing attempted is 1 too when the exercises were assigned (an assignment names
        them), or when a function's name is a near miss of one: the file defines none of
        the exercises it was meant to.  A starter file of stubs, graded as it is, exits 0.
        """
        if not self.loaded:
            return 2
        if any(e.status in ("failed", "error") for e in self.exercises):
            return 1
        if not self.attempted and (self.assigned or any(e.suggestion for e in self.exercises)):
            return 1
        return 0

    def to_dict(self) -> dict[str, Any]:
        out = {
            "schema": SCHEMA,
            "submission": self.submission,
            "seed": self.seed,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "errors": list(self.all_errors),
            "notes": list(self.notes),
            "load_output": None if self.load_output is None else self.load_output.to_dict(),
            "exercises": [e.to_dict() for e in self.exercises],
        }
        if self.notebook is not None:
            out["notebook"] = self.notebook.to_dict()
        if self.environment is not None:
            out["environment"] = self.environment.to_dict()
        if self.load_seconds is not None:
            out["timing"] = {"load_seconds": round(self.load_seconds, 3)}
        return out
