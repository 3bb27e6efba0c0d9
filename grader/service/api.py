"""The JSON API, /api/v1: routes stay thin, calling intake, queue, views and course.

    POST /api/v1/submissions                          202 {"id", "status": "queued"}
    GET  /api/v1/submissions                          the caller's own, newest first (instructors: all)
    GET  /api/v1/submissions/{id}                     id, student, assignment, status, submitted_at,
                                                      score, max_score, report (+ late, filename, message)
    GET  /api/v1/submissions/{id}/report.html         the report as a page
    POST /api/v1/submissions/{id}/regrade             instructors: 202, queued again
    GET  /api/v1/assignments/{name}/gradebook.csv     instructors: `grade batch`'s CSV
    GET  /api/v1/assignments/{name}/class-report.html instructors: the class report, live

Every call carries `Authorization: Bearer TOKEN` (401 without a valid one); a student asking
for another student's submission gets 404, as for one that does not exist.  The report a
student gets withholds the exercises the assignment's visibility hides (views.py).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from grader.service.app import Service
from grader.service.course import class_folder
from grader.service.intake import submit
from grader.service.models import Account, Submission
from grader.service.queue import regrade
from grader.service.uploads import Refused
from grader.service.views import student_json, withheld

__all__ = ["account", "router", "shown", "visible_html"]

router = APIRouter(prefix="/api/v1", tags=["submissions"])
_COOKIE = "matgrade_token"


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _token(request: Request, cookie: bool) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if cookie:
        return request.cookies.get(_COOKIE, "")
    return ""


def _authenticated(request: Request, cookie: bool) -> Account:
    from grader.service.accounts import authenticate

    token = _token(request, cookie)
    if not token:
        raise HTTPException(
            401, "no token: send `Authorization: Bearer TOKEN`", {"WWW-Authenticate": "Bearer"}
        )
    with service_of(request).sessions() as session:
        found = authenticate(session, token)
    if found is None:
        raise HTTPException(
            401, "the token is not valid; ask your instructor for yours", {"WWW-Authenticate": "Bearer"}
        )
    return found


def account(request: Request) -> Account:
    """The caller, from the Authorization header (and, for reads, the pages' cookie)."""
    return _authenticated(request, cookie=request.method in ("GET", "HEAD"))


def instructor(caller: Annotated[Account, Depends(account)]) -> Account:
    """The caller, who must be an instructor (403 otherwise)."""
    if caller.role != "instructor":
        raise HTTPException(403, "only an instructor may do this")
    return caller


Caller = Annotated[Account, Depends(account)]
Instructor = Annotated[Account, Depends(instructor)]


def _mine(service: Service, caller: Account, submission_id: int) -> tuple[Submission, str]:
    with service.sessions() as session:
        found = session.execute(
            select(Submission, Account.name).join(Account).where(Submission.id == submission_id)
        ).first()
    if found is None or (caller.role != "instructor" and found[0].account_id != caller.id):
        raise HTTPException(404, f"no submission {submission_id} of yours")
    return found[0], found[1]


def _due(service: Service, assignment: str) -> bool:
    course = service.settings.course(assignment)
    if course is None or course.rules.deadline is None:
        return True
    return datetime.datetime.now(datetime.UTC) > course.rules.deadline


def shown(service: Service, caller: Account, row: Submission, student: str) -> dict[str, Any]:
    """The record of `row` as `caller` may see it."""
    report = None
    if row.report_json is not None:
        course = service.settings.course(row.assignment)
        hide = (
            frozenset()
            if caller.role == "instructor" or course is None
            else withheld(course.assignment, _due(service, row.assignment))
        )
        report = student_json(row.report_json, hide)
    submitted = row.submitted_at if row.submitted_at.tzinfo else row.submitted_at.replace(tzinfo=datetime.UTC)
    return {
        "id": row.id,
        "student": student,
        "assignment": row.assignment,
        "status": row.status,
        "submitted_at": submitted.isoformat().replace("+00:00", "Z"),
        "score": None if report is None else report["score"],
        "max_score": None if report is None else report["max_score"],
        "report": report,
        "late": row.late,
        "filename": row.filename,
        "message": row.message,
    }


def visible_html(service: Service, caller: Account, row: Submission) -> str | None:
    """The report page `caller` may see, or None before grading is done."""
    if caller.role == "instructor":
        column = Submission.report_html
    elif _due(service, row.assignment):
        column = Submission.student_html_due
    else:
        column = Submission.student_html
    with service.sessions() as session:
        page: str | None = session.scalar(select(column).where(Submission.id == row.id))
    return page


def refusal(exc: Refused) -> JSONResponse:
    """A refused upload as the API answers it."""
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=headers)


async def read_upload(file: UploadFile, limit: int) -> bytes:
    """The uploaded bytes, at most `limit` + 1 of them (the rest is never read)."""
    data = await file.read(limit + 1)
    await file.close()
    return data


async def accept(request: Request, caller: Account, assignment: str, file: UploadFile) -> Submission:
    """Read an upload, store it and queue it (the API's and the student page's upload); raises Refused."""
    service = service_of(request)
    course = service.settings.course(assignment)
    data = await read_upload(file, (course.rules.max_upload_kb if course else 1) * 1024)

    def store() -> Submission:
        with service.sessions() as session:
            return submit(session, service.settings, caller, assignment, file.filename, data)

    from starlette.concurrency import run_in_threadpool

    row = await run_in_threadpool(store)
    service.dispatcher.wake.set()
    return row


@router.post("/submissions", status_code=202)
async def create_submission(
    request: Request,
    caller: Caller,
    assignment: Annotated[str, Form(description="the assignment's file stem, e.g. hw1")],
    file: Annotated[UploadFile, File(description="a .py file or a .ipynb notebook")],
) -> Response:
    """Upload a submission: stored and queued before the answer (202)."""
    try:
        row = await accept(request, caller, assignment, file)
    except Refused as exc:
        return refusal(exc)
    return JSONResponse({"id": row.id, "status": "queued"}, status_code=202)


@router.get("/submissions")
def list_submissions(request: Request, caller: Caller, assignment: str | None = None) -> list[dict[str, Any]]:
    """The caller's submissions, newest first (an instructor's: everyone's); `report` left out."""
    service = service_of(request)
    query = select(Submission, Account.name).join(Account).order_by(Submission.id.desc())
    if caller.role != "instructor":
        query = query.where(Submission.account_id == caller.id)
    if assignment is not None:
        query = query.where(Submission.assignment == assignment)
    with service.sessions() as session:
        rows = session.execute(query).all()
    listed = []
    for row, name in rows:
        record = shown(service, caller, row, name)
        record.pop("report")
        listed.append(record)
    return listed


@router.get("/submissions/{submission_id}")
def get_submission(request: Request, caller: Caller, submission_id: int) -> dict[str, Any]:
    """One submission, with its JSON report once graded."""
    service = service_of(request)
    row, name = _mine(service, caller, submission_id)
    return shown(service, caller, row, name)


@router.get("/submissions/{submission_id}/report.html", response_class=HTMLResponse)
def get_report_html(request: Request, caller: Caller, submission_id: int) -> HTMLResponse:
    """The report as a page (409 while it is not graded)."""
    service = service_of(request)
    row, _ = _mine(service, caller, submission_id)
    page = visible_html(service, caller, row)
    if page is None:
        raise HTTPException(
            409,
            f"submission {submission_id} is {row.status}: no report yet"
            + (f" ({row.message})" if row.message else ""),
        )
    return HTMLResponse(page)


@router.post("/submissions/{submission_id}/regrade", status_code=202)
def post_regrade(request: Request, caller: Instructor, submission_id: int) -> dict[str, Any]:
    """Queue a graded or failed submission again (409 while it is queued or running)."""
    service = service_of(request)
    row, _ = _mine(service, caller, submission_id)
    if not regrade(service.engine, submission_id):
        raise HTTPException(409, f"submission {submission_id} is {row.status}; regrade it once it is done")
    service.dispatcher.wake.set()
    return {"id": submission_id, "status": "queued"}


def _course_folder(request: Request, name: str) -> Path:
    service = service_of(request)
    course = service.settings.course(name)
    if course is None:
        served = ", ".join(c.name for c in service.settings.courses)
        raise HTTPException(404, f"unknown assignment {name[:100]!r}; this service takes: {served}")
    return class_folder(service.engine, course, service.settings.data)


@router.get("/assignments/{name}/gradebook.csv", tags=["instructors"])
def get_gradebook(request: Request, caller: Instructor, name: str) -> FileResponse:
    """The gradebook, as `grade batch` writes it: each student's counting submission."""
    folder = _course_folder(request, name)
    return FileResponse(
        folder / "gradebook.csv", media_type="text/csv; charset=utf-8", filename=f"{name}-gradebook.csv"
    )


@router.get("/assignments/{name}/class-report.html", tags=["instructors"], response_class=HTMLResponse)
def get_class_report(request: Request, caller: Instructor, name: str) -> HTMLResponse:
    """The class report of `grade report`, built from the submissions graded so far."""
    folder = _course_folder(request, name)
    return HTMLResponse((folder / "class-report.html").read_text(encoding="utf-8"))


@router.get("/assignments/{name}/{folder}/report.html", tags=["instructors"], response_class=HTMLResponse)
def get_student_page(request: Request, caller: Instructor, name: str, folder: str) -> HTMLResponse:
    """A student's page linked from the class report (their counting submission's report)."""
    import re

    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}", folder) or folder in ("..", "."):
        raise HTTPException(404, "no such student page")
    service = service_of(request)
    if service.settings.course(name) is None:
        raise HTTPException(404, f"unknown assignment {name[:100]!r}")
    page = service.settings.data / "courses" / name / folder / "report.html"
    if not page.is_file():
        raise HTTPException(404, "no such student page; open the class report first")
    return HTMLResponse(page.read_text(encoding="utf-8"))
