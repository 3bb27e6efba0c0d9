"""`grade serve` over HTTP: a real uvicorn on 127.0.0.1, a temporary data folder, httpx as the client."""

from __future__ import annotations

import io
import json
import socket
import time
import zipfile

import pytest

from tests.grader.servicekit import EXAMPLES, HW1, Server, add_accounts, grade_cli, upload, wait_done

pytest.importorskip("fastapi", reason="the serve extra is not installed (pip install 'matgrade[serve]')")
pytestmark = pytest.mark.slow

CORRECT = (EXAMPLES / "correct.py").read_bytes()
MISTAKES = (EXAMPLES / "mistakes.py").read_bytes()
LIMITED = """title = "Quiz"
seed = 3
examples = 10
[exercises.d_ln_x2]
[service]
submissions_per_hour = 2
"""
CLOSED = """title = "Closed"
seed = 3
examples = 10
[exercises.d_ln_x2]
[service]
deadline = 2020-01-01T00:00:00Z
late = "refuse"
"""
OVERDUE = """title = "Overdue"
seed = 3
examples = 10
[exercises.d_ln_x2]
[service]
deadline = 2020-01-01T00:00:00Z
late = "accept"
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """A service with four assignments, students alice, bob and carol, and the instructor prof."""
    root = tmp_path_factory.mktemp("service")
    paths = []
    for name, text in (("hw1", HW1), ("quiz", LIMITED), ("closed", CLOSED), ("overdue", OVERDUE)):
        path = root / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    data = root / "data"
    tokens = add_accounts(data, ["alice", "bob", "carol"], "prof")
    server = Server(data, paths, ["--upload-seconds", "3"]).start()
    yield server, tokens, root
    server.stop()


def test_an_upload_is_queued_graded_and_its_report_equals_grade_json_with_the_same_seed(service):
    """The report equals `grade FILE --assignment --student --format json` but for environment.trust."""
    server, tokens, root = service
    with server.client(tokens["alice"]) as alice, server.client(tokens["prof"]) as prof:
        answer = upload(alice, "hw1", "alice.py", MISTAKES)
        assert answer.status_code == 202
        assert answer.json() == {"id": answer.json()["id"], "status": "queued"}
        record = wait_done(prof, answer.json()["id"])
    assert record["status"] == "done" and record["student"] == "alice" and record["assignment"] == "hw1"
    (root / "alice.py").write_bytes(MISTAKES)
    run = grade_cli(
        "alice.py", "--assignment", "hw1.toml", "--student", "alice", "--format", "json", cwd=root
    )
    expected = json.loads(run.stdout)
    report = record["report"]
    # The service grades other people's code (trust "others"); `grade FILE` one's own ("own").
    assert report["environment"].pop("trust") == "others"
    assert expected["environment"].pop("trust") == "own"
    assert report == expected
    assert (record["score"], record["max_score"]) == (expected["score"], expected["max_score"])


def test_a_student_never_sees_an_exercise_the_assignment_hides(service):
    """d_ln_x2 is hidden: the student's report leaves it out and says one exercise is withheld."""
    server, tokens, _ = service
    with server.client(tokens["bob"]) as bob, server.client(tokens["prof"]) as prof:
        submitted = upload(bob, "hw1", "bob.py", CORRECT).json()["id"]
        mine = wait_done(bob, submitted)
        whole = prof.get(f"/api/v1/submissions/{submitted}").json()
        page = bob.get(f"/api/v1/submissions/{submitted}/report.html")
    assert [e["name"] for e in mine["report"]["exercises"]] == ["neuron_grad", "mse_grad"]
    assert mine["max_score"] == 3 and whole["max_score"] == 4
    assert any("withheld" in note for note in mine["report"]["notes"])
    assert page.status_code == 200 and "d_ln_x2" not in page.text and "neuron_grad" in page.text


def test_without_a_token_or_with_a_wrong_one_every_call_is_401_with_a_json_message(service):
    """No Authorization header, or a token nobody has: 401 saying what to send."""
    server, _, _ = service
    with server.client() as anonymous, server.client("not-a-token") as wrong:
        for client in (anonymous, wrong):
            for answer in (
                client.get("/api/v1/submissions"),
                upload(client, "hw1", "x.py", CORRECT),
                client.get("/api/v1/submissions/1"),
            ):
                assert answer.status_code == 401
                assert "token" in answer.json()["detail"]


def test_a_student_reading_another_students_submission_gets_404_as_if_it_did_not_exist(service):
    """carol cannot read alice's submission, its page, nor regrade it; her list holds only her own."""
    server, tokens, _ = service
    with server.client(tokens["alice"]) as alice, server.client(tokens["carol"]) as carol:
        theirs = upload(alice, "hw1", "a.py", CORRECT).json()["id"]
        assert carol.get(f"/api/v1/submissions/{theirs}").status_code == 404
        assert carol.get(f"/api/v1/submissions/{theirs}/report.html").status_code == 404
        assert carol.get("/api/v1/submissions/999999").status_code == 404
        assert carol.post(f"/api/v1/submissions/{theirs}/regrade").status_code == 403
        assert carol.get("/api/v1/submissions").json() == []
        assert carol.get("/api/v1/assignments/hw1/gradebook.csv").status_code == 403


def _notebook(cells: int) -> bytes:
    cell = {"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": None}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell] * cells}).encode()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.py", b"0" * 50_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("assignment", "name", "data", "status", "words"),
    [
        ("hw9", "hw.py", CORRECT, 422, "unknown assignment 'hw9'"),
        ("hw1", "hw.txt", CORRECT, 422, "not a .py file or a .ipynb"),
        ("hw1", "hw.py", "def f():\n    return 'é'\n".encode("latin-1"), 422, "not UTF-8"),
        ("hw1", "hw.py", b"", 422, "is empty"),
        ("hw1", "hw.py", b"  \n\n", 422, "is empty"),
        ("hw1", "hw.py", _zip_bomb(), 422, "binary file"),
        ("overdue", "hw.ipynb", _notebook(10_000), 422, "10,000 cells"),
        ("hw1", "hw.ipynb", b"{not json", 422, "not a notebook"),
        ("hw1", "../../x.py", CORRECT, 422, "holds a path"),
        ("hw1", "..\\x.py", CORRECT, 422, "holds a path"),
        ("hw1", ".hidden.py", CORRECT, 422, "not allowed"),
        ("hw1", "big.py", b"#" * (65 * 1024), 413, "at most 64 KiB"),
    ],
    ids=[
        "unknown-assignment",
        "not-py",
        "not-utf8",
        "empty",
        "blank",
        "zip-bomb",
        "10000-cells",
        "not-json",
        "dotdot-path",
        "backslash-path",
        "dotfile",
        "too-large",
    ],
)
def test_bad_uploads_get_a_json_error_saying_what_was_wrong_and_change_nothing(
    service, assignment, name, data, status, words
):
    """Each bad upload: its status, a message naming the problem, no trace, and no new submission."""
    server, tokens, _ = service
    with server.client(tokens["carol"]) as carol:
        before = carol.get("/api/v1/submissions").json()
        answer = upload(carol, assignment, name, data)
        assert answer.status_code == status, answer.text
        detail = answer.json()["detail"]
        assert words in detail and "Traceback" not in detail
        assert carol.get("/api/v1/submissions").json() == before
        assert carol.get("/healthz").status_code == 200


def test_a_request_without_the_form_fields_is_422_naming_the_missing_field(service):
    """No `file` in the form: 422 that names it."""
    server, tokens, _ = service
    with server.client(tokens["carol"]) as carol:
        answer = carol.post("/api/v1/submissions", data={"assignment": "hw1"})
    assert answer.status_code == 422 and "missing field `file`" in answer.json()["detail"]


def _read_until_closed(raw: socket.socket) -> str:
    """Everything the server sends until it closes the connection (headers and body may come apart)."""
    chunks = []
    while chunk := raw.recv(4096):
        chunks.append(chunk)
    return b"".join(chunks).decode()


def test_a_huge_or_compressed_body_is_refused_before_it_is_read(service):
    """Content-Length over every limit: 413 at once; Content-Encoding gzip: 415."""
    server, tokens, _ = service
    with server.client(tokens["carol"]) as carol:
        gz = carol.post(
            "/api/v1/submissions",
            content=b"\x1f\x8b" + b"\0" * 100,
            headers={"Content-Encoding": "gzip", "Content-Type": "multipart/form-data; boundary=b"},
        )
    assert gz.status_code == 415 and "compressed" in gz.json()["detail"]
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        raw.sendall(
            b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + tokens["carol"].encode()
            + b"\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000000\r\n\r\n"
        )
        reply = _read_until_closed(raw)
    assert reply.startswith("HTTP/1.1 413") and "larger than" in reply


def test_a_slow_loris_upload_is_answered_408_while_others_are_served(service):
    """A body trickling in is cut off after --upload-seconds (3 s); /healthz answers meanwhile."""
    server, tokens, _ = service
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as raw:
        raw.sendall(
            b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + tokens["carol"].encode()
            + b"\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000\r\n\r\n--b\r\n"
        )
        started = time.monotonic()
        with server.client() as other:
            for _ in range(3):
                assert other.get("/healthz").status_code == 200
                raw.sendall(b"x")
                time.sleep(0.5)
        reply = _read_until_closed(raw)
    assert reply.startswith("HTTP/1.1 408"), reply
    assert "did not arrive within 3 s" in reply
    assert time.monotonic() - started < 15


def test_more_submissions_per_hour_than_the_assignment_allows_get_429_with_retry_after(service):
    """quiz allows 2 per hour: the third is 429, Retry-After at most an hour, and nothing is stored."""
    server, tokens, _ = service
    with server.client(tokens["carol"]) as carol:
        assert upload(carol, "quiz", "q.py", CORRECT).status_code == 202
        assert upload(carol, "quiz", "q.py", CORRECT).status_code == 202
        third = upload(carol, "quiz", "q.py", CORRECT)
        assert third.status_code == 429
        assert 0 < int(third.headers["Retry-After"]) <= 3600
        assert "2 submissions of quiz per hour" in third.json()["detail"]
        assert len(carol.get("/api/v1/submissions", params={"assignment": "quiz"}).json()) == 2


def test_after_the_deadline_a_late_submission_is_refused_or_accepted_and_marked_late(service):
    """closed refuses late submissions (403, saying the deadline); overdue accepts them marked late."""
    server, tokens, _ = service
    with server.client(tokens["bob"]) as bob:
        refused = upload(bob, "closed", "b.py", CORRECT)
        assert refused.status_code == 403 and "2020-01-01 00:00 UTC" in refused.json()["detail"]
        accepted = upload(bob, "overdue", "b.py", CORRECT)
        assert accepted.status_code == 202
        assert bob.get(f"/api/v1/submissions/{accepted.json()['id']}").json()["late"] is True


def test_a_students_list_is_their_own_newest_first(service):
    """GET /api/v1/submissions: ids descending, every one the caller's, without the report body."""
    server, tokens, _ = service
    with server.client(tokens["alice"]) as alice:
        upload(alice, "hw1", "one.py", CORRECT)
        upload(alice, "hw1", "two.py", CORRECT)
        listed = alice.get("/api/v1/submissions").json()
    ids = [r["id"] for r in listed]
    assert ids == sorted(ids, reverse=True) and len(ids) >= 2
    assert {r["student"] for r in listed} == {"alice"} and "report" not in listed[0]
    assert listed[0]["filename"] == "two.py"


def test_the_instructor_gets_the_batch_gradebook_the_live_class_report_and_can_regrade(service):
    """The gradebook is grade batch's (best counts), the class report names all, a regrade is identical."""
    server, tokens, _ = service
    with server.client(tokens["alice"]) as alice, server.client(tokens["prof"]) as prof:
        upload(alice, "hw1", "good.py", CORRECT)
        first = upload(alice, "hw1", "late.py", MISTAKES).json()["id"]  # the last, not the best
        wait_done(prof, first)
        for record in prof.get("/api/v1/submissions", params={"assignment": "hw1"}).json():
            wait_done(prof, record["id"])
        gradebook = prof.get("/api/v1/assignments/hw1/gradebook.csv")
        page = prof.get("/api/v1/assignments/hw1/class-report.html")
        before = prof.get(f"/api/v1/submissions/{first}").json()
        again = prof.post(f"/api/v1/submissions/{first}/regrade")
        assert again.status_code == 202 and again.json() == {"id": first, "status": "queued"}
        after = wait_done(prof, first)
    lines = gradebook.text.splitlines()
    assert lines[0] == "student,score,max_score,neuron_grad,mse_grad,d_ln_x2,status,message,folder"
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert set(rows) == {"alice", "bob", "carol"}
    assert rows["alice"][1] == "4" and rows["alice"][6] == "passed"  # the best of alice's counts
    assert rows["carol"][6] == "not-graded"
    assert page.status_code == 200 and "alice" in page.text and "bob" in page.text
    assert after["report"] == before["report"]


def test_healthz_metrics_and_the_openapi_page_describe_the_service(service):
    """/healthz is ok; /metrics: queue length, graded per minute, failures; /openapi.json: the paths."""
    server, _, _ = service
    with server.client() as anyone:
        health = anyone.get("/healthz").json()
        metrics = anyone.get("/metrics").text
        spec = anyone.get("/openapi.json").json()
        docs = anyone.get("/docs")
    assert health["status"] == "ok"
    for name in ("matgrade_queue_length", "matgrade_graded_last_minute", "matgrade_failures_total"):
        assert f"\n{name} " in "\n" + metrics
    for path in (
        "/api/v1/submissions",
        "/api/v1/submissions/{submission_id}",
        "/api/v1/submissions/{submission_id}/report.html",
        "/api/v1/submissions/{submission_id}/regrade",
        "/api/v1/assignments/{name}/gradebook.csv",
        "/api/v1/assignments/{name}/class-report.html",
    ):
        assert path in spec["paths"]
    assert docs.status_code == 200


def test_the_report_page_escapes_what_the_student_wrote(service):
    """A function raising a message with HTML: the page shows it escaped, never as markup."""
    server, tokens, _ = service
    evil = b'def neuron_grad(w, b, x):\n    raise ValueError("<script>alert(1)</script>")\n'
    with server.client(tokens["carol"]) as carol:
        submitted = upload(carol, "hw1", "evil.py", evil).json()["id"]
        wait_done(carol, submitted)
        page = carol.get(f"/api/v1/submissions/{submitted}/report.html").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_uploads_sent_at_once_cannot_pass_the_hourly_limit_together(service):
    """Six uploads of bob's to quiz (2 per hour) sent at once: exactly two are taken, four get 429."""
    import concurrent.futures

    server, tokens, _ = service

    def send(number: int) -> int:
        with server.client(tokens["bob"]) as bob:
            return upload(bob, "quiz", f"q{number}.py", CORRECT).status_code

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        codes = sorted(pool.map(send, range(6)))
    assert codes == [202, 202, 429, 429, 429, 429]


def test_a_notebook_upload_is_graded_cell_by_cell_like_grade_does(service):
    """examples/homework.ipynb: done, with the report's notebook section and the cell that raised."""
    server, tokens, _ = service
    with server.client(tokens["carol"]) as carol:
        answer = upload(carol, "overdue", "homework.ipynb", (EXAMPLES / "homework.ipynb").read_bytes())
        assert answer.status_code == 202
        record = wait_done(carol, answer.json()["id"])
    assert record["status"] == "done" and record["late"] is True
    assert record["report"]["submission"] == "homework.ipynb"
    assert record["report"]["notebook"]["cell_errors"]
