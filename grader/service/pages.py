"""The server-rendered pages (Jinja2, autoescaped; one template per page; no JavaScript build).

    /                 sign in with a token (kept in an HttpOnly, SameSite=Strict cookie)
    /me               a student's submissions, an upload form; refreshes while one is pending
    /me/{id}          one report (the student's view)
    /instructor       the assignments with their class report and gradebook, recent submissions

Every text a student wrote (their name, a file name, a message of their code) reaches the page
through Jinja2's autoescaping only; the report pages are grader.render.html's, which escapes
them itself.  Forms post with the cookie; SameSite=Strict keeps other sites from posting them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select

from grader.service.api import _COOKIE, _authenticated, accept, service_of, shown, visible_html
from grader.service.models import Account, Submission
from grader.service.queue import regrade
from grader.service.uploads import Refused

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def _page(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(_templates.get_template(name).render(**values), status_code=status)


def _signed_in(request: Request) -> Account | None:
    try:
        return _authenticated(request, cookie=True)
    except HTTPException:
        return None


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    caller = _signed_in(request)
    if caller is not None:
        return RedirectResponse("/instructor" if caller.role == "instructor" else "/me", status_code=303)
    return _page("signin.html")


@router.post("/sign-in")
def sign_in(request: Request, token: Annotated[str, Form()]) -> Response:
    from grader.service.accounts import authenticate

    with service_of(request).sessions() as session:
        found = authenticate(session, token.strip())
    if found is None:
        return _page("signin.html", 401, error="That token is not valid; ask your instructor for yours.")
    target = "/instructor" if found.role == "instructor" else "/me"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(_COOKIE, token.strip(), httponly=True, samesite="strict", max_age=14 * 24 * 3600)
    return response


@router.post("/sign-out")
def sign_out() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(_COOKIE)
    return response


def _student_page(request: Request, caller: Account, status: int = 200, **values: Any) -> HTMLResponse:
    service = service_of(request)
    with service.sessions() as session:
        rows = session.scalars(
            select(Submission).where(Submission.account_id == caller.id).order_by(Submission.id.desc())
        ).all()
    records = [shown(service, caller, row, caller.name) for row in rows]
    pending = any(r["status"] in ("queued", "running") for r in records)
    courses = [c.name for c in service.settings.courses]
    return _page(
        "student.html",
        status,
        me=caller,
        submissions=records,
        pending=pending,
        refresh=pending,
        courses=courses,
        **values,
    )


@router.get("/me", response_class=HTMLResponse)
def me(request: Request) -> Response:
    caller = _signed_in(request)
    if caller is None:
        return RedirectResponse("/", status_code=303)
    return _student_page(request, caller)


@router.post("/me/upload", response_class=HTMLResponse)
async def upload(
    request: Request, assignment: Annotated[str, Form()], file: Annotated[UploadFile, File()]
) -> Response:
    caller = _signed_in(request)
    if caller is None:
        return RedirectResponse("/", status_code=303)
    try:
        row = await accept(request, caller, assignment, file)
    except Refused as exc:
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(_student_page, request, caller, exc.status, error=exc.message)
    return RedirectResponse(f"/me?submitted={row.id}", status_code=303)


@router.get("/me/{submission_id}", response_class=HTMLResponse)
def report(request: Request, submission_id: int) -> Response:
    caller = _signed_in(request)
    if caller is None:
        return RedirectResponse("/", status_code=303)
    service = service_of(request)
    with service.sessions() as session:
        row = session.get(Submission, submission_id)
    if row is None or (caller.role != "instructor" and row.account_id != caller.id):
        return _page("message.html", 404, title="Not found", text=f"You have no submission {submission_id}.")
    page = visible_html(service, caller, row)
    if page is None:
        return _page(
            "message.html",
            200,
            title=f"Submission {submission_id}",
            refresh=row.status in ("queued", "running"),
            text=f"Submission {submission_id} is {row.status}. {row.message}",
        )
    return HTMLResponse(page)


@router.get("/instructor", response_class=HTMLResponse)
def instructor_page(request: Request) -> Response:
    caller = _signed_in(request)
    if caller is None or caller.role != "instructor":
        return RedirectResponse("/", status_code=303)
    service = service_of(request)
    with service.sessions() as session:
        rows = session.execute(
            select(Submission, Account.name).join(Account).order_by(Submission.id.desc()).limit(200)
        ).all()
    records = [shown(service, caller, row, name) for row, name in rows]
    courses = [c.name for c in service.settings.courses]
    return _page("instructor.html", me=caller, courses=courses, submissions=records)


@router.post("/instructor/regrade/{submission_id}")
def instructor_regrade(request: Request, submission_id: int) -> Response:
    caller = _signed_in(request)
    if caller is None or caller.role != "instructor":
        return RedirectResponse("/", status_code=303)
    service = service_of(request)
    regrade(service.engine, submission_id)
    service.dispatcher.wake.set()
    return RedirectResponse("/instructor", status_code=303)
