"""The engine and the schema: create_engine for a URL, and the Alembic migrations run at start-up.

SQLite (the default, DIR/matgrade.sqlite3) runs in WAL mode with a busy timeout so that the
API's readers never block the one writer at a time SQLite allows; PostgreSQL needs nothing
special (the queue claims rows with FOR UPDATE SKIP LOCKED, queue.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from grader.errors import UsageError

__all__ = ["connect", "migrate", "sessions"]

MIGRATIONS = Path(__file__).with_name("migrations")


def connect(url: str) -> Engine:
    """An engine for `url` (sqlite:/// or postgresql://); UsageError for another kind."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi: Any, record: Any) -> None:
            cursor = dbapi.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    if url.startswith("postgresql+psycopg://"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise UsageError(
                "--database postgresql://... needs psycopg: pip install 'matgrade[serve]'"
            ) from None
        return create_engine(url, pool_pre_ping=True, pool_size=10)
    raise UsageError(f"--database must be sqlite:///PATH or postgresql://..., not {url.split(':')[0]}:...")


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision (idempotent)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
