"""`grade serve`: submissions over HTTP, a durable queue in a database, pages for students and instructors.

The flow is one way, as for `grade`: an upload is stored and committed as a queued row
(`api.py` -> `intake.py` -> `queue.py`); grader threads (`dispatcher.py`) claim rows in a
transaction and hand each to a warm grader process (`host.py`), which forks a child per
submission that grades it (`job.py`, which calls grade_submission(); the student's code runs
in its sandbox worker as always); the result is written back once, guarded by the claim
(`queue.finish`).  `config.py` holds the settings read once at start-up, `models.py` the
typed ORM tables, `database.py` the engine and the Alembic migrations (`migrations/`),
`accounts.py` students, instructors and hashed tokens, `rules.py` the course rules of an
assignment's `[service]` table, `uploads.py` the checks of an uploaded file, `views.py` what
a student may see of a report, `course.py` the gradebook and live class report (reusing
grader.batch.gradebook and grader.classreport), `pages.py` the Jinja2 pages, `app.py` the
ASGI application, `scheduler.py` Dask as an alternative to local processes.

Importing this package imports nothing heavy: fastapi, sqlalchemy and uvicorn are imported by
the modules that need them, which only `grade serve` loads.
"""
