"""Students and instructors, and their tokens: random, shown once, stored as a SHA-256 hash.

A token is 32 random bytes (secrets.token_urlsafe), so a plain SHA-256 suffices: there is no
password to guess, and a stolen database gives no usable token.  The hash is compared by a
unique-index lookup, never by scanning tokens.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.errors import UsageError
from grader.service.models import Account

__all__ = ["NewAccount", "add_accounts", "authenticate", "hash_token", "read_roster"]

ROLES = ("student", "instructor")


@dataclass(frozen=True, slots=True)
class NewAccount:
    """An account just made, with its token (the only time it is known)."""

    name: str
    role: str
    token: str


def hash_token(token: str) -> str:
    """The stored form of `token`."""
    return hashlib.sha256(token.encode()).hexdigest()


def read_roster(text: str, source: str) -> list[tuple[str, str]]:
    """(student, email) pairs of a roster CSV with a `student` column (and an optional `email`)."""
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "student" not in fields:
        raise UsageError(
            f"{source}: no `student` column; the first line must name the columns (student,email)"
        )
    reader.fieldnames = fields
    people: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        name = (row.get("student") or "").strip()
        if not name:
            raise UsageError(f"{source}, line {number}: the student's name is empty")
        if len(name) > 200 or any(ord(c) < 32 for c in name):
            raise UsageError(f"{source}, line {number}: a name is at most 200 printable characters")
        if name in seen:
            raise UsageError(f"{source}, line {number}: {name!r} is listed twice")
        seen.add(name)
        people.append((name, (row.get("email") or "").strip()))
    if not people:
        raise UsageError(f"{source}: no students (one line per student after the header)")
    return people


def add_accounts(session: Session, people: Sequence[tuple[str, str]], role: str) -> list[NewAccount]:
    """Create an account per (name, email) with a new token; UsageError if a name exists already.

    All or nothing: nothing is committed when one name is taken.
    """
    if role not in ROLES:
        raise ValueError(role)
    names = [name for name, _ in people]
    taken = session.scalars(select(Account.name).where(Account.name.in_(names))).all()
    if taken:
        raise UsageError(f"already have an account: {', '.join(sorted(taken))}; nothing was added")
    now = datetime.datetime.now(datetime.UTC)
    made = []
    for name, email in people:
        token = secrets.token_urlsafe(32)
        session.add(Account(name=name, email=email, role=role, token_hash=hash_token(token), created_at=now))
        made.append(NewAccount(name=name, role=role, token=token))
    session.commit()
    return made


def authenticate(session: Session, token: str) -> Account | None:
    """The account whose token this is, or None."""
    if not token or len(token) > 200:
        return None
    return session.scalars(select(Account).where(Account.token_hash == hash_token(token))).first()
