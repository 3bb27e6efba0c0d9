"""`grade serve --database postgresql://...` on a real PostgreSQL made with initdb in a temporary folder.

The cluster runs as an unprivileged user (as root: Debian's `postgres` user, through runuser),
listens on 127.0.0.1 on a free port, and is stopped at the end.  Skipped, with the reason, where
PostgreSQL's server binaries are not installed (.ci/run installs Debian's postgresql).
"""

from __future__ import annotations

import datetime
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from tests.grader.servicekit import EXAMPLES, HW1, Server, add_accounts, free_port, upload, wait_done

pytest.importorskip("fastapi", reason="the serve extra is not installed (pip install 'matgrade[serve]')")
pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'matgrade[serve]')")
pytestmark = pytest.mark.slow


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_owner(owner: str | None, args: list[str]) -> list[str]:
    return ["runuser", "-u", owner, "--", *args] if owner else args


@pytest.fixture(scope="module")
def postgres():
    """A fresh PostgreSQL cluster with the databases matgrade and queue: its URL without a database name."""
    binaries = _bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (apt-get install -y postgresql); .ci/run installs it")
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no `postgres` user to run the cluster as")
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser to start the cluster as `postgres`")
        owner = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="matgrade-pg-"))
    if owner:
        shutil.chown(folder, owner)
    cluster, port = folder / "cluster", free_port()
    made = subprocess.run(
        _as_owner(
            owner,
            [str(binaries / "initdb"), "-D", str(cluster), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        ),
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} -c fsync=off"
    started = subprocess.run(
        _as_owner(
            owner,
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(cluster),
                "-o",
                options,
                "-w",
                "-l",
                str(folder / "log"),
                "start",
            ],
        ),
        capture_output=True,
        text=True,
    )
    assert started.returncode == 0, started.stderr + (folder / "log").read_text()
    try:
        for name in ("matgrade", "queue"):
            created = subprocess.run(
                [str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", name],
                capture_output=True,
                text=True,
            )
            assert created.returncode == 0, created.stderr
        yield f"postgresql://postgres@127.0.0.1:{port}/"
    finally:
        subprocess.run(
            _as_owner(owner, [str(binaries / "pg_ctl"), "-D", str(cluster), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def service(postgres, tmp_path_factory):
    root = tmp_path_factory.mktemp("pg-service")
    (root / "hw1.toml").write_text(HW1, encoding="utf-8")
    data = root / "data"
    tokens = add_accounts(data, ["alice", "bob"], "prof", database=postgres + "matgrade")
    server = Server(data, [root / "hw1.toml"], ["--database", postgres + "matgrade"]).start()
    yield server, tokens
    server.stop()
    assert not (data / "matgrade.sqlite3").exists()  # everything went to PostgreSQL


def test_on_postgresql_an_upload_is_graded_and_another_student_cannot_read_it(service):
    """The API on PostgreSQL: 202, done with the report, 404 for bob, the gradebook for prof."""
    server, tokens = service
    with server.client(tokens["alice"]) as alice, server.client(tokens["bob"]) as bob:
        answer = upload(alice, "hw1", "alice.py", (EXAMPLES / "correct.py").read_bytes())
        assert answer.status_code == 202
        record = wait_done(alice, answer.json()["id"])
        assert record["status"] == "done" and record["report"]["status"] == "passed"
        assert bob.get(f"/api/v1/submissions/{record['id']}").status_code == 404
    with server.client(tokens["prof"]) as prof:
        lines = prof.get("/api/v1/assignments/hw1/gradebook.csv").text.splitlines()
    assert lines[1].startswith("alice,4,4,")


def test_on_postgresql_concurrent_graders_never_claim_the_same_submission(postgres):
    """FOR UPDATE SKIP LOCKED: 8 threads claim 60 queued rows; each row is claimed exactly once."""
    from sqlalchemy import insert

    from grader.service.database import connect, migrate
    from grader.service.models import Account, Submission
    from grader.service.queue import claim

    engine = connect(postgres + "queue")  # a database no service grades from
    migrate(engine)
    now = datetime.datetime.now(datetime.UTC)
    with engine.begin() as connection:
        owner = connection.execute(
            insert(Account)
            .values(name="queue-test", email="", role="student", token_hash="0" * 64, created_at=now)
            .returning(Account.id)
        ).scalar_one()
        connection.execute(
            insert(Submission),
            [
                dict(
                    account_id=owner,
                    assignment="q",
                    filename="q.py",
                    stored="",
                    sha256="",
                    status="queued",
                    late=False,
                    submitted_at=now,
                    claim=0,
                    message="",
                )
                for _ in range(60)
            ],
        )
    taken: list[int] = []
    lock = threading.Lock()

    def grader() -> None:
        while (held := claim(engine)) is not None:
            with lock:
                taken.append(held.id)

    threads = [threading.Thread(target=grader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert len(taken) >= 60 and len(taken) == len(set(taken))
