"""The ASGI application: the API (api.py), the pages (pages.py), health, metrics, and request guards.

`create_app(settings)` connects to the database, migrates it, queues again what a dead service
left running, and starts the graders, at start-up (the lifespan); it stops them at shutdown.
Every error is JSON `{"detail": "what was wrong and what to do"}` with no traceback: an
unexpected exception is logged on the service's stderr and answered 500 with a plain message.

`BodyGuard` bounds an upload before the framework reads it: a body larger than the largest
upload any served assignment takes is answered 413 without reading on, and a body that does
not arrive within `upload_seconds` (a slow-loris client) is answered 408; other clients are
served meanwhile (the server is asynchronous).  A compressed body (Content-Encoding) is
refused 415: nothing is ever decompressed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from grader import __version__
from grader.service.config import Settings
from grader.service.database import connect, migrate, sessions
from grader.service.dispatcher import Dispatcher
from grader.service.models import Submission
from grader.service.queue import recover

__all__ = ["Service", "create_app"]

log = logging.getLogger("matgrade.service")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Service:
    """What every request handler reaches through `request.app.state.service`."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    dispatcher: Dispatcher


class _Refusal(StarletteHTTPException):
    """A body refused while it is read: an HTTP error, so the framework answers it as one."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message, {"Connection": "close"})
        self.status = status
        self.message = message


class BodyGuard:
    """Refuse request bodies that are too large (413), too slow (408) or compressed (415)."""

    def __init__(self, app: ASGI, limit: int, seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("content-encoding", "identity").lower() not in ("identity", ""):
            await _json(send, 415, "compressed uploads are not accepted; send the file itself")
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            await _json(
                send,
                413,
                f"the upload is larger than {self.limit // 1024} KiB, the most any assignment takes",
            )
            return
        started = False
        received = 0
        deadline = time.monotonic() + self.seconds

        async def guarded_receive() -> Message:
            nonlocal received
            left = deadline - time.monotonic()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(left, 0.001))
            except TimeoutError:
                raise _Refusal(
                    408, f"the upload did not arrive within {self.seconds:g} s; send it again"
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _Refusal(
                        413,
                        f"the upload is larger than {self.limit // 1024} KiB, the most any assignment takes",
                    )
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, guarded_receive, watched_send)
        except _Refusal as refusal:
            if not started:
                await _json(send, refusal.status, refusal.message)


async def _json(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "form"))
        kind = error.get("type", "")
        if kind == "missing":
            parts.append(f"missing field `{where}`")
        else:
            parts.append(f"`{where}`: {error.get('msg', 'invalid')}")
    return "; ".join(parts) + " (POST multipart/form-data with `assignment` and `file`)"


def create_app(settings: Settings) -> FastAPI:
    """The service's application for `settings`."""
    from grader.service import api, pages

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = connect(settings.database)
        migrate(engine)
        requeued, failed = recover(engine)
        if requeued or failed:
            log.warning("recovered after a stop: %d submissions queued again, %d failed", requeued, failed)
        settings.uploads.mkdir(parents=True, exist_ok=True)
        dispatcher = Dispatcher(settings, engine)
        app.state.service = Service(settings, engine, sessions(engine), dispatcher)
        dispatcher.start()
        try:
            yield
        finally:
            dispatcher.stop()
            engine.dispose()

    app = FastAPI(
        title="matgrade",
        version=__version__,
        summary="Grades matrix-calculus submissions: upload, poll, read the report.",
        lifespan=lifespan,
    )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"detail": "the service failed on this request; it was logged for the administrator"},
            status_code=500,
        )

    @app.get("/healthz", tags=["service"])
    def healthz(request: Request) -> dict[str, Any]:
        """Whether the service and its database answer, and how many submissions wait."""
        service: Service = request.app.state.service
        with service.sessions() as session:
            waiting = session.scalar(select(func.count()).where(Submission.status == "queued")) or 0
        return {"status": "ok", "queued": int(waiting), "graders": service.settings.jobs}

    @app.get("/metrics", tags=["service"], response_class=PlainTextResponse)
    def metrics(request: Request) -> str:
        """Prometheus text: queue length, running, graded in the last minute, totals and failures."""
        service: Service = request.app.state.service
        with service.sessions() as session:
            counts = dict(
                session.execute(select(Submission.status, func.count()).group_by(Submission.status))
                .tuples()
                .all()
            )
        totals = service.dispatcher.totals()
        lines = [
            "# HELP matgrade_queue_length Submissions waiting to be graded.",
            "# TYPE matgrade_queue_length gauge",
            f"matgrade_queue_length {counts.get('queued', 0)}",
            "# HELP matgrade_running Submissions being graded.",
            "# TYPE matgrade_running gauge",
            f"matgrade_running {counts.get('running', 0)}",
            "# HELP matgrade_graded_last_minute Gradings finished in the last 60 s by this process.",
            "# TYPE matgrade_graded_last_minute gauge",
            f"matgrade_graded_last_minute {totals.graded_last_minute}",
            "# HELP matgrade_graded_total Gradings finished with a report since start-up.",
            "# TYPE matgrade_graded_total counter",
            f"matgrade_graded_total {totals.graded}",
            "# HELP matgrade_failures_total Gradings that failed (crashed, killed, overran) since start-up.",
            "# TYPE matgrade_failures_total counter",
            f"matgrade_failures_total {totals.failed}",
            "# HELP matgrade_submissions Submissions in the database by status.",
            "# TYPE matgrade_submissions gauge",
            *(
                f'matgrade_submissions{{status="{s}"}} {counts.get(s, 0)}'
                for s in ("queued", "running", "done", "failed")
            ),
        ]
        return "\n".join(lines) + "\n"

    app.include_router(api.router)
    app.include_router(pages.router)
    limit = max((c.rules.max_upload_kb for c in settings.courses), default=2048) * 1024 + 64 * 1024
    app.add_middleware(BodyGuard, limit=limit, seconds=settings.upload_seconds)
    return app
