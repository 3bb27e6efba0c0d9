"""Taking a submission in: the course's rules, the file's checks, then the file stored and the row committed.

The API and the student page both call `submit`; when it returns, the file is on disk (written
and fsynced under DIR/uploads/<id>/) and the queued row is committed, so a crash after the
answer loses nothing.  A refusal (`Refused`) changes nothing: no file, no row.
"""

from __future__ import annotations

import datetime
import math
import os
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from grader.service.config import Settings
from grader.service.models import Account, Submission
from grader.service.uploads import Refused, check_upload

__all__ = ["submit"]


def _rate(session: Session, account: Account, assignment: str, limit: int, now: datetime.datetime) -> None:
    """Refuse (429) the upload over `limit` this hour; the caller's row is already flushed.

    Counted after the insert, inside the transaction, so that two uploads at once cannot both
    pass: SQLite lets one writer hold the database from the insert to the commit, and on
    PostgreSQL the same is had with a transaction-scoped advisory lock on the student.
    """
    if limit <= 0:
        return
    since = now - datetime.timedelta(hours=1)
    recent = session.scalars(
        select(Submission.submitted_at)
        .where(
            Submission.account_id == account.id,
            Submission.assignment == assignment,
            Submission.submitted_at > since,
        )
        .order_by(Submission.submitted_at)
    ).all()
    if len(recent) > limit:  # the new row is one of them
        oldest = recent[0] if recent[0].tzinfo else recent[0].replace(tzinfo=datetime.UTC)
        wait = max(1, math.ceil((oldest + datetime.timedelta(hours=1) - now).total_seconds()))
        raise Refused(
            429, f"{limit} submissions of {assignment} per hour at most; try again in {wait} s", wait
        )


def submit(
    session: Session, settings: Settings, account: Account, assignment: str, filename: str | None, data: bytes
) -> Submission:
    """Store and queue `data` for `account`; raises Refused saying why not (429: with retry_after)."""
    course = settings.course(assignment)
    if course is None:
        served = ", ".join(c.name for c in settings.courses) or "none"
        raise Refused(422, f"unknown assignment {assignment[:100]!r}; this service takes: {served}")
    accepted = check_upload(filename, data, course.rules.max_upload_kb)
    now = datetime.datetime.now(datetime.UTC)
    late = course.rules.is_late(now)
    if late and course.rules.late == "refuse":
        deadline = course.rules.deadline
        when = deadline.strftime("%Y-%m-%d %H:%M UTC") if deadline else ""
        raise Refused(403, f"the deadline of {assignment} was {when}; late submissions are refused")
    if course.rules.submissions_per_hour and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": account.id})
    row = Submission(
        account_id=account.id,
        assignment=assignment,
        filename=accepted.filename,
        stored="",
        sha256=accepted.sha256,
        status="queued",
        late=late,
        submitted_at=now,
        claim=0,
        message="",
    )
    # The row is inserted but not committed, so no grader sees it before its file is on disk.
    session.add(row)
    session.flush()
    _rate(session, account, assignment, course.rules.submissions_per_hour, now)
    folder = settings.uploads / str(row.id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / accepted.filename
    _write(path, accepted.data)
    row.stored = str(path)
    session.commit()
    return row


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def pending(session: Session) -> int:
    """Submissions not graded yet."""
    return int(session.scalar(select(func.count()).where(Submission.status.in_(("queued", "running")))) or 0)
