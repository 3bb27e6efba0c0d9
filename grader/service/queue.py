"""The queue: submissions are rows; a grader claims one in one statement; only its claim may finish it.

enqueue   a new row `queued`, committed before the API answers 202
claim     the oldest queued row becomes `running`, its `claim` counter raised; on
          PostgreSQL the row is picked with FOR UPDATE SKIP LOCKED, so concurrent graders
          never take the same one; SQLite runs the same UPDATE under its one writer
finish    the result, written only if the row is still `running` under the same claim:
          a result is never written twice, and a grader given up on cannot overwrite
recover   at start-up, rows left `running` by a service that died are queued again (or
          `failed` after MAX_CLAIMS tries: a submission that kills the service each time)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy import Engine, func, select, update

from grader.service.models import Submission

__all__ = ["MAX_CLAIMS", "Claimed", "Outcome", "claim", "finish", "recover", "regrade"]

MAX_CLAIMS = 3


@dataclass(frozen=True, slots=True)
class Claimed:
    """A submission a grader holds: its id and the claim that lets it write the result."""

    id: int
    claim: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """What grading produced: `done` with a report, or `failed` with a message."""

    status: str
    message: str = ""
    score: float | None = None
    max_score: float | None = None
    report_status: str | None = None
    report_json: str | None = None
    report_html: str | None = None
    student_html: str | None = None
    student_html_due: str | None = None


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def claim(engine: Engine) -> Claimed | None:
    """Take the oldest queued submission, or None when the queue is empty."""
    oldest = select(Submission.id).where(Submission.status == "queued").order_by(Submission.id).limit(1)
    if engine.dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
    statement = (
        update(Submission)
        .where(Submission.id == oldest.scalar_subquery(), Submission.status == "queued")
        .values(status="running", claim=Submission.claim + 1, started_at=_now())
        .returning(Submission.id, Submission.claim)
    )
    with engine.begin() as connection:
        row = connection.execute(statement).first()
    return None if row is None else Claimed(id=row[0], claim=row[1])


def finish(engine: Engine, held: Claimed, outcome: Outcome) -> bool:
    """Write `outcome` if `held` is still the submission's claim; False when it is not (nothing written)."""
    statement = (
        update(Submission)
        .where(Submission.id == held.id, Submission.claim == held.claim, Submission.status == "running")
        .values(
            status=outcome.status,
            message=outcome.message,
            score=outcome.score,
            max_score=outcome.max_score,
            report_status=outcome.report_status,
            report_json=outcome.report_json,
            report_html=outcome.report_html,
            student_html=outcome.student_html,
            student_html_due=outcome.student_html_due,
            finished_at=_now(),
        )
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount == 1


def recover(engine: Engine) -> tuple[int, int]:
    """Queue again what a dead service left running (MAX_CLAIMS tries: failed); (requeued, failed)."""
    with engine.begin() as connection:
        failed = connection.execute(
            update(Submission)
            .where(Submission.status == "running", Submission.claim >= MAX_CLAIMS)
            .values(
                status="failed",
                finished_at=_now(),
                message=f"the service stopped while grading this submission {MAX_CLAIMS} times; "
                "it was not graded again (an instructor may regrade it)",
            )
        ).rowcount
        requeued = connection.execute(
            update(Submission).where(Submission.status == "running").values(status="queued", started_at=None)
        ).rowcount
    return requeued, failed


def regrade(engine: Engine, submission: int) -> bool:
    """Queue a finished submission again (a fresh claim budget); False when it is queued or running."""
    statement = (
        update(Submission)
        .where(Submission.id == submission, Submission.status.in_(("done", "failed")))
        .values(status="queued", claim=0, started_at=None, finished_at=None, message="")
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount == 1


def queued(engine: Engine) -> int:
    """How many submissions wait."""
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).where(Submission.status == "queued")).scalar_one())
