"""Benchmark, service: 20 clients send 200 varied submissions to `grade serve`; compared with `grade batch`.

Run:  python bench/bench_service.py [--submissions 200] [--clients 20] [--jobs 2] [--examples 100]
                                    [--time-limit 1800]

The submissions are the test corpus, dealt in turn: tests/corpus/*.py and every file of
tests/corpus/wrong/ (one classic wrong answer each), so most grade one or two exercises and a
few all 41.  The assignment names all 41 exercises with a fixed seed (so `grade batch` may draw
inputs once) and --examples inputs each.  Three measurements:

1. one local `grade FILE --assignment` of a sample of the files: the time of one grading;
2. `grade batch --jobs J` on the same files: wall and CPU time, submissions per minute;
3. `grade serve --jobs J` (a real uvicorn on 127.0.0.1, SQLite in a temporary folder),
   --clients threads each uploading its share with httpx and polling each upload until it is
   done: submissions per minute (first upload to last result), p50 and p95 of the time from
   upload to result, errors (a non-202 answer, a `failed` grading, no result within the limit),
   and the CPU time of the service and its graders.

The whole run stops after --time-limit seconds; what is not graded by then counts as errors.
The machine is shared: the load average is printed at the start and the end, and CPU times
are given beside wall times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import ROOT, children_cpu, grade_command, header, table, timed

CORPUS = ROOT / "tests" / "corpus"


def corpus() -> list[Path]:
    files = sorted(CORPUS.glob("*.py")) + sorted((CORPUS / "wrong").glob("*.py"))
    return [f for f in files if f.name != "__init__.py"]


def assignment_text(examples: int) -> str:
    from exercises import all_exercises

    lines = [
        'title = "Bench"',
        "seed = 20261122",
        f"examples = {examples}",
        "[service]",
        "max_upload_kb = 2048",
    ]
    lines += [f"[exercises.{e.name}]" for e in all_exercises()]
    return "\n".join(lines) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def serve(args: argparse.Namespace, scratch: Path, files: list[Path], toml: Path) -> dict[str, float | int]:
    """Run the service, send every file, wait for every result; the figures."""
    import httpx

    data = scratch / "data"
    roster = scratch / "roster.csv"
    roster.write_text(
        "student\n" + "".join(f"client{c:02d}\n" for c in range(args.clients)), encoding="utf-8"
    )
    made = subprocess.run(
        [*grade_command(), "serve", "add-students", "--data", str(data), str(roster)],
        capture_output=True,
        text=True,
        check=True,
    )
    tokens = [line.split("\t")[1] for line in made.stdout.splitlines()]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cpu_before = children_cpu()
    server = subprocess.Popen(
        [
            *grade_command(),
            "serve",
            "--data",
            str(data),
            "--assignment",
            str(toml),
            "--port",
            str(port),
            "--jobs",
            str(args.jobs),
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(scratch / "server.log", "wb"),  # noqa: SIM115
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        deadline = time.monotonic() + args.time_limit
        latencies: list[float] = []
        finished: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        started = time.monotonic()

        def client(number: int) -> None:
            mine = files[number :: args.clients]
            headers = {"Authorization": f"Bearer {tokens[number]}"}
            pending: dict[int, float] = {}
            with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
                for i, path in enumerate(mine):
                    sent = time.monotonic()
                    try:
                        answer = http.post(
                            "/api/v1/submissions",
                            data={"assignment": "bench"},
                            files={"file": (f"s{number:02d}_{i:03d}.py", path.read_bytes())},
                        )
                    except httpx.HTTPError as exc:
                        with lock:
                            errors.append(f"upload: {exc}")
                        continue
                    if answer.status_code != 202:
                        with lock:
                            errors.append(f"upload: {answer.status_code} {answer.text[:100]}")
                        continue
                    pending[answer.json()["id"]] = sent
                # Poll as a script would: the list of one's own submissions once a second (their
                # statuses), then each finished one once.
                while pending and time.monotonic() < deadline:
                    listed = http.get("/api/v1/submissions", params={"assignment": "bench"}).json()
                    now = time.monotonic()
                    for record in listed:
                        sent = pending.get(record["id"])
                        if sent is None or record["status"] not in ("done", "failed"):
                            continue
                        del pending[record["id"]]
                        whole = http.get(f"/api/v1/submissions/{record['id']}").json()
                        with lock:
                            latencies.append(now - sent)
                            finished.append(now)
                            if whole["status"] == "failed" or whole["report"] is None:
                                errors.append(f"failed: {whole['message'][:100]}")
                    time.sleep(1.0)
            with lock:
                errors.extend(f"not graded within {args.time_limit} s" for _ in pending)

        threads = [threading.Thread(target=client, args=(c,)) for c in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        span = (max(finished) - started) if finished else float("nan")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    grading = _grading_seconds(data / "matgrade.sqlite3")
    return {
        "grading_p50": statistics.median(grading) if grading else float("nan"),
        "grading_p95": percentile(grading, 0.95) if grading else float("nan"),
        "graded": len(latencies),
        "errors": len(errors),
        "span": span,
        "per_minute": len(latencies) / span * 60 if finished else 0.0,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 0.95) if latencies else float("nan"),
        "cpu": children_cpu() - cpu_before,
        "first_errors": "; ".join(sorted(set(errors))[:3]),  # type: ignore[dict-item]
    }


def _grading_seconds(database: Path) -> list[float]:
    """Each submission's time from its claim to its result (the queue wait left out), from the database."""
    import datetime
    import sqlite3

    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT started_at, finished_at FROM submissions WHERE status = 'done'").fetchall()
    parse = datetime.datetime.fromisoformat
    return [(parse(end) - parse(start)).total_seconds() for start, end in rows if start and end]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--sample", type=int, default=5, help="files graded alone with `grade FILE`")
    parser.add_argument("--time-limit", type=float, default=1800)
    args = parser.parse_args()
    header("service")
    pool = corpus()
    files = [pool[i % len(pool)] for i in range(args.submissions)]
    print(
        f"{args.submissions} submissions from {len(pool)} corpus files; {args.clients} clients; "
        f"--jobs {args.jobs}; {args.examples} examples",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="matgrade-bench-service-") as folder:
        scratch = Path(folder)
        toml = scratch / "bench.toml"
        toml.write_text(assignment_text(args.examples), encoding="utf-8")
        singles, single_cpu = [], []
        for path in files[: args.sample * 7 : 7]:
            wall, cpu, _ = timed(
                [*grade_command(), str(path), "--assignment", str(toml), "--format", "json"],
                capture_output=True,
            )
            singles.append(wall)
            single_cpu.append(cpu)
        print(
            f"one `grade FILE`: median {statistics.median(singles):.2f} s wall, "
            f"{statistics.median(single_cpu):.2f} s CPU ({len(singles)} files)",
            flush=True,
        )
        batch = scratch / "batch"
        batch.mkdir()
        for i, path in enumerate(files):
            shutil.copy(path, batch / f"s{i:03d}.py")
        wall, cpu, code = timed(
            [
                *grade_command(),
                "batch",
                str(batch),
                "-o",
                str(scratch / "graded"),
                "--assignment",
                str(toml),
                "--jobs",
                str(args.jobs),
            ],
            capture_output=True,
        )
        batch_rate = args.submissions / wall * 60
        print(
            f"grade batch --jobs {args.jobs}: {wall:.1f} s wall, {cpu:.1f} s CPU, {batch_rate:.1f}/min "
            f"(exit {code})",
            flush=True,
        )
        figures = serve(args, scratch, files, toml)
        print(
            f"grade serve --jobs {args.jobs}: {figures['graded']} graded in {figures['span']:.1f} s wall, "
            f"{figures['cpu']:.1f} s CPU, {figures['per_minute']:.1f}/min, p50 {figures['p50']:.1f} s, "
            f"p95 {figures['p95']:.1f} s, {figures['errors']} errors {figures['first_errors']}",
            flush=True,
        )
        print(
            f"grading alone (claim to result, the queue wait left out): p50 {figures['grading_p50']:.1f} s, "
            f"p95 {figures['grading_p95']:.1f} s",
            flush=True,
        )
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.2f}\n")
    print(
        table(
            ["what", "wall", "CPU", "per minute", "p50 upload->result", "p95", "errors"],
            [
                (
                    "one `grade FILE` (median)",
                    f"{statistics.median(singles):.2f} s",
                    f"{statistics.median(single_cpu):.2f} s",
                    "",
                    "",
                    "",
                    "",
                ),
                (
                    f"`grade batch --jobs {args.jobs}`",
                    f"{wall:.1f} s",
                    f"{cpu:.1f} s",
                    f"{batch_rate:.1f}",
                    "",
                    "",
                    "",
                ),
                (
                    f"`grade serve --jobs {args.jobs}`, {args.clients} clients",
                    f"{figures['span']:.1f} s",
                    f"{figures['cpu']:.1f} s",
                    f"{figures['per_minute']:.1f}",
                    f"{figures['p50']:.1f} s",
                    f"{figures['p95']:.1f} s",
                    str(figures["errors"]),
                ),
            ],
        )
    )
    sys.exit(1 if figures["errors"] else 0)


if __name__ == "__main__":
    main()
