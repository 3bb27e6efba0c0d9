"""`grade serve`: the grading service, and `grade serve add-students` / `add-instructor` for its accounts.

Importing this module imports click only; fastapi, uvicorn and sqlalchemy are imported inside
the commands (`grade --help` stays fast: tests/grader/test_startup.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from grader.cli.output import fail
from grader.errors import GraderError, UsageError

if TYPE_CHECKING:
    from grader.service.config import Course, Settings

__all__ = ["serve"]

_EXTRA = "pip install 'matgrade[serve]'"


def _need_extra() -> None:
    try:
        import fastapi  # noqa: F401
        import sqlalchemy  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise UsageError(f"`grade serve` needs {exc.name}: {_EXTRA}") from None


def _course(path: str) -> Course:
    import tomllib

    from grader.assignment import load_assignment
    from grader.service.config import Course
    from grader.service.rules import parse_rules

    assignment = load_assignment(path)
    with open(path, "rb") as handle:
        rules = parse_rules(tomllib.load(handle).get("service"), path)
    return Course(name=Path(path).stem, path=Path(path).resolve(), assignment=assignment, rules=rules)


def _database(data: str, database: str | None) -> str:
    from grader.service.config import sqlite_url

    folder = Path(data)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the data folder {data}: {exc.strerror or exc}") from None
    return database or sqlite_url(folder)


_data_option = click.option(
    "--data",
    required=True,
    type=click.Path(file_okay=False, path_type=str),
    help="The service's folder: uploads, results and (by default) the SQLite database.",
)


_database_option = click.option(
    "--database",
    default=None,
    metavar="URL",
    help="postgresql://USER@HOST/DB instead of the SQLite database in --data.",
)


def settings_of(
    data: str,
    assignments: tuple[str, ...],
    database: str | None,
    jobs: int,
    scheduler: str | None,
    job_seconds: float | None,
    upload_seconds: float,
    trusted: bool,
) -> Settings:
    """The service's settings from the command line (UsageError for a bad assignment or duplicate name)."""
    from grader.service.config import Settings

    courses = tuple(_course(path) for path in assignments)
    names = [c.name for c in courses]
    if len(set(names)) != len(names):
        raise UsageError("two assignments have the same file name; each is known by its file's stem")
    return Settings(
        data=Path(data).resolve(),
        database=_database(data, database),
        courses=courses,
        jobs=jobs,
        scheduler=scheduler,
        job_seconds=job_seconds,
        upload_seconds=upload_seconds,
        trusted=trusted,
    )


@click.group(invoke_without_command=True)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=str),
    help="The service's folder (uploads, results, the SQLite database).",
)
@click.option(
    "--assignment",
    "assignments",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=str),
    help="An assignment TOML the service accepts, known by its file stem (repeatable).",
)
@_database_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port.")
@click.option(
    "--jobs",
    "-j",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Submissions graded at once.",
)
@click.option(
    "--scheduler", default=None, metavar="tcp://HOST:8786", help="Grade on this Dask cluster instead."
)
@click.option(
    "--job-seconds",
    type=click.FloatRange(min=1),
    default=None,
    help="Stop a grading after this long (default: from the assignment's limits).",
)
@click.option(
    "--upload-seconds",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    help="An upload must arrive within this.",
)
@click.option(
    "--trusted",
    is_flag=True,
    help="Grade without the isolation other people's code needs (your own code only).",
)
@click.pass_context
def serve(
    ctx: click.Context,
    data: str | None,
    assignments: tuple[str, ...],
    database: str | None,
    host: str,
    port: int,
    jobs: int,
    scheduler: str | None,
    job_seconds: float | None,
    upload_seconds: float,
    trusted: bool,
) -> None:
    """Serve submissions over HTTP: `grade serve --data DIR --assignment hw1.toml`.

    Students upload with `Authorization: Bearer TOKEN` (tokens from `grade serve add-students`);
    the API is described at http://HOST:PORT/docs.  docs/service.md tells how to deploy it.
    """
    if ctx.invoked_subcommand is not None:
        return
    try:
        if data is None:
            raise UsageError("--data DIR is required: the folder for uploads and the database")
        if not assignments:
            raise UsageError("at least one --assignment hw1.toml is required")
        _need_extra()
        settings = settings_of(
            data, assignments, database, jobs, scheduler, job_seconds, upload_seconds, trusted
        )
        import uvicorn

        from grader.service.app import create_app
        from grader.service.database import connect, migrate

        migrate(connect(settings.database))  # a bad URL or an unreachable database is said now
        if scheduler is None:
            from grader.sandbox.policy import Trust, confirm

            # Refused here, before anyone submits, where other people's code cannot be isolated.
            confirm(Trust.TRUSTED if trusted else Trust.OTHERS)
    except GraderError as exc:
        fail(exc)
    except Exception as exc:  # the database driver's own errors (unreachable, refused)
        fail(UsageError(f"cannot open the database: {type(exc).__name__}: {str(exc).splitlines()[0]}"))
    click.echo(
        f"matgrade serving {', '.join(c.name for c in settings.courses)} on http://{host}:{port}/", err=True
    )
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
        h11_max_incomplete_event_size=64 * 1024,  # request line and headers: no more than this
    )


def _print_tokens(made: list[object]) -> None:
    for account in made:
        click.echo(f"{account.name}\t{account.token}")  # type: ignore[attr-defined]


@serve.command("add-students")
@_data_option
@_database_option
@click.argument("roster", type=click.Path(dir_okay=False, exists=True, path_type=str))
def add_students(data: str, database: str | None, roster: str) -> None:
    """Create a student per line of ROSTER (CSV: `student`, optional `email`) and print their tokens.

    Each line printed is NAME<TAB>TOKEN.  Tokens are shown this once and stored hashed: hand
    them out now.
    """
    try:
        _need_extra()
        from grader.service.accounts import add_accounts, read_roster
        from grader.service.database import connect, migrate, sessions

        try:
            text = Path(roster).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {roster}: {exc}") from None
        people = read_roster(text, roster)
        engine = connect(_database(data, database))
        migrate(engine)
        with sessions(engine)() as session:
            made = add_accounts(session, people, "student")
    except GraderError as exc:
        fail(exc)
    _print_tokens(list(made))
    click.echo(f"{len(made)} students added; each token is shown only now", err=True)


@serve.command("add-instructor")
@_data_option
@_database_option
@click.argument("name")
@click.option("--email", default="", help="The instructor's email.")
def add_instructor(data: str, database: str | None, name: str, email: str) -> None:
    """Create the instructor NAME and print their token (shown this once, stored hashed)."""
    try:
        _need_extra()
        from grader.service.accounts import add_accounts
        from grader.service.database import connect, migrate, sessions

        if not name.strip() or len(name) > 200:
            raise UsageError("the instructor's name must be 1 to 200 characters")
        engine = connect(_database(data, database))
        migrate(engine)
        with sessions(engine)() as session:
            made = add_accounts(session, [(name.strip(), email)], "instructor")
    except GraderError as exc:
        fail(exc)
    _print_tokens(list(made))
    print("the token is shown only now", file=sys.stderr)
