"""A real `grade serve` for the tests: a uvicorn subprocess on 127.0.0.1, a free port, a temporary folder.

Not a test module: test_service*.py import it.  Accounts are made with the real CLI
(`grade serve add-students`, `add-instructor`), whose printed tokens are parsed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "examples"
CORPUS = ROOT / "tests" / "corpus"

HW1 = """title = "Homework 1"
seed = 7
examples = 20
[exercises.neuron_grad]
points = 2
[exercises.mse_grad]
[exercises.d_ln_x2]
visibility = "hidden"
[service]
max_upload_kb = 64
counts = "best"
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def grade_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grader.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def add_accounts(
    data: Path, students: list[str], instructor: str, database: str | None = None
) -> dict[str, str]:
    """Tokens by name, made with the CLI."""
    extra = ["--database", database] if database else []
    roster = data.parent / f"{data.name}-roster.csv"
    roster.write_text(
        "student,email\n" + "".join(f"{s},{s}@example.org\n" for s in students), encoding="utf-8"
    )
    tokens: dict[str, str] = {}
    made = grade_cli("serve", "add-students", "--data", str(data), *extra, str(roster))
    assert made.returncode == 0, made.stderr
    made2 = grade_cli("serve", "add-instructor", "--data", str(data), *extra, instructor)
    assert made2.returncode == 0, made2.stderr
    for line in (made.stdout + made2.stdout).splitlines():
        name, token = line.split("\t")
        tokens[name] = token
    return tokens


@dataclass
class Server:
    """A running service and what it was started with."""

    data: Path
    assignments: list[Path]
    extra: list[str] = field(default_factory=list)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        self.port = free_port()
        args = [
            sys.executable,
            "-m",
            "grader.cli",
            "serve",
            "--data",
            str(self.data),
            "--port",
            str(self.port),
        ]
        for path in self.assignments:
            args += ["--assignment", str(path)]
        log = open(self.data.parent / f"{self.data.name}-server.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen([*args, *self.extra], stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited with {self.process.returncode}: see {log.name}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the service did not answer /healthz in time")

    def kill(self) -> None:
        """kill -9 the service process (only it: its graders die with it, PR_SET_PDEATHSIG)."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def upload(client: httpx.Client, assignment: str, name: str, data: bytes) -> httpx.Response:
    return client.post("/api/v1/submissions", data={"assignment": assignment}, files={"file": (name, data)})


def wait_done(client: httpx.Client, submission: int, timeout: float = 240) -> dict[str, object]:
    """The submission's record once it is done or failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = client.get(f"/api/v1/submissions/{submission}").json()
        if record["status"] in ("done", "failed"):
            return record
        time.sleep(0.3)
    raise AssertionError(f"submission {submission} not graded in {timeout} s")
