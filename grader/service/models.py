"""The service's tables as typed SQLAlchemy 2.0 models; the schema itself is made by migrations/.

    accounts      a student or an instructor, with the SHA-256 of their token (never the token)
    submissions   one upload: who, which assignment, the stored file, and its place in the queue

A submission's `status` moves queued -> running -> done | failed.  `claim` counts the times a
grader took it; the result is written only by the holder of the current claim (queue.py), so
a grader that was given up on cannot write a second result.
"""

from __future__ import annotations

import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["Account", "Base", "Submission"]


class Base(DeclarativeBase):
    """The declarative base of the service's models."""


class Account(Base):
    """A person who may call the API: role "student" or "instructor"."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str] = mapped_column(String(320), default="")
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))

    submissions: Mapped[list[Submission]] = relationship(back_populates="account")


class Submission(Base):
    """One uploaded file and its grading."""

    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_status_id", "status", "id"),
        Index("ix_submissions_account_assignment", "account_id", "assignment"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    assignment: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    stored: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    late: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    claim: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    report_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    # The JSON report (grade --format json) and HTML pages: the whole report (instructors), the
    # student's view before the deadline and after it (views.py: what visibility withholds).
    report_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The pages are loaded only when asked for (api.visible_html): polling reads the JSON only.
    report_html: Mapped[str | None] = mapped_column(Text, nullable=True, deferred=True)
    student_html: Mapped[str | None] = mapped_column(Text, nullable=True, deferred=True)
    student_html_due: Mapped[str | None] = mapped_column(Text, nullable=True, deferred=True)

    account: Mapped[Account] = relationship(back_populates="submissions")
