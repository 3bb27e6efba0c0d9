"""`grade batch --dask` and `--scheduler`: a real Dask cluster writes what the local batch writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.assignment import parse_assignment
from grader.batch import grade_batch
from grader.cli import cli

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed", reason="Dask is the optional extra matgrade[dask]")

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
ASSIGNMENT = """
examples = 10

[exercises.d_sin_x2]
points = 2

[exercises.grad_sum]
points = 1

[exercises.neuron_grad]
points = 1
"""
HOMEWORK = parse_assignment(tomllib.loads(ASSIGNMENT), "hw")
SLOW = "import time\ntime.sleep(4)\n"  # at the top level: its task is running for seconds


def make_class(folder: Path, slow: tuple[str, ...] = ()) -> None:
    """Nine students: right, partly right, wrong, raising, a notebook, a folder; `slow` ones sleep first."""
    folder.mkdir()
    sources = {
        "ada": (ROOT / "examples" / "correct.py").read_text(),
        "bo": (CORPUS / "mixed_submission.py").read_text(),
        "cy": (CORPUS / "wrong" / "d_sin_x2__half.py").read_text(),
        "di": (CORPUS / "wrong" / "grad_sum__scalar_n.py").read_text(),
        "ed": (CORPUS / "correct_loops.py").read_text(),
        "flo": (CORPUS / "raising.py").read_text(),
        "gus": (CORPUS / "correct_vectorised.py").read_text(),
    }
    for student, source in sources.items():
        if student in slow:
            source = SLOW + source
        (folder / f"{student}.py").write_text(source)
    nbformat = pytest.importorskip("nbformat")
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(sources["cy"])]
    nbformat.write(book, str(folder / "hal.ipynb"))
    (folder / "ivy").mkdir()
    (folder / "ivy" / "solution.py").write_text(sources["ada"])


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module", autouse=True)
def fixed_date() -> Iterator[None]:
    """The class report's date from SOURCE_DATE_EPOCH: the one thing two runs would write differently."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1796601600")
        yield


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """The class graded by the local process pool: the submissions, the assignment and its output tree."""
    base = tmp_path_factory.mktemp("local")
    make_class(base / "subs", slow=("ed",))
    (base / "hw.toml").write_text(ASSIGNMENT)
    grade_batch(str(base / "subs"), str(base / "out"), HOMEWORK, jobs=2)
    return base / "subs", base / "hw.toml", tree(base / "out")


@pytest.fixture
def cluster() -> Iterator[distributed.LocalCluster]:
    """A LocalCluster of two worker processes that retries a task whose worker died once, as --dask's."""
    import dask

    from grader.batch.cluster import LOCAL_CONFIG

    with dask.config.set(LOCAL_CONFIG):
        local = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    with local:
        yield local


def test_a_batch_on_a_local_dask_cluster_writes_the_very_bytes_of_a_local_batch(local_batch, tmp_path):
    """gradebook.csv, every student's folder and the class report equal the process pool's, byte for byte."""
    subs, toml, expected = local_batch
    out = tmp_path / "out"
    args = ["batch", str(subs), "--assignment", str(toml), "-o", str(out), "--jobs", "2", "--dask"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "[9/9] " in result.stderr  # the local batch's progress line, one per student
    got = tree(out)
    assert sorted(got) == sorted(expected)
    assert "class-report.html" in got and "hal/report.json" in got and "ivy/report.json" in got
    for name in expected:
        assert got[name] == expected[name], name


def test_the_dask_cluster_started_by_dask_retries_a_student_once_when_their_worker_dies():
    """The LocalCluster of --dask has its scheduler give a task one more try after its worker dies."""
    from grader.batch.cluster import Cluster, _allowed_failures, _client

    with _client(Cluster(workers=1)) as client:
        assert client.run_on_scheduler(_allowed_failures) == 1


def _kill_worker_running(
    local: distributed.LocalCluster, folder: str, times: int, killed: list[int]
) -> None:
    """Kill (SIGKILL) the worker process grading student `folder`, `times` times, each time it runs again."""
    deadline = time.monotonic() + 120
    seen: set[str] = set()
    with distributed.Client(local, set_as_default=False) as client:
        while len(killed) < times and time.monotonic() < deadline:
            # Only a worker holding this one task: Dask charges a death to every task a worker holds.
            mine = f"matgrade-{folder}-"
            held = client.processing().items()
            alone = [w for w, keys in held if w not in seen and [str(k)[: len(mine)] for k in keys] == [mine]]
            executing = [w for w in alone if client.run(_executing, folder, workers=[w]).get(w, False)]
            if executing:
                worker = executing[0]
                pid = client.run(os.getpid, workers=[worker])[worker]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                seen.add(worker)
            time.sleep(0.2)


def _executing(folder: str, dask_worker: distributed.Worker) -> bool:
    """On a worker: whether it is executing the task of student `folder` right now."""
    return any(str(ts.key).startswith(f"matgrade-{folder}-") for ts in dask_worker.state.executing)


def test_a_worker_killed_mid_batch_costs_no_grade_and_changes_no_byte(local_batch, tmp_path, cluster):
    """A worker SIGKILLed while it grades a student: graded again, and the files equal the local batch's."""
    subs, _, expected = local_batch
    killed: list[int] = []
    killer = threading.Thread(target=_kill_worker_running, args=(cluster, "ed", 1, killed), daemon=True)
    killer.start()
    from grader.batch.cluster import Cluster

    out = tmp_path / "out"
    result = grade_batch(str(subs), str(out), HOMEWORK, cluster=Cluster(cluster.scheduler_address))
    killer.join(timeout=5)
    assert len(killed) == 1  # the worker was killed while it graded ed
    assert {row.status for row in result.rows} <= {"passed", "failed", "incomplete", "error"}
    got = tree(out)
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name] == expected[name], name


def test_a_student_whose_worker_dies_twice_is_crashed_in_the_gradebook_and_the_others_are_graded(
    local_batch, tmp_path, cluster
):
    """Killed on the first try and on the retry: the row says `crashed` and why; the others are graded."""
    subs, _, _ = local_batch
    killed: list[int] = []
    killer = threading.Thread(target=_kill_worker_running, args=(cluster, "ed", 2, killed), daemon=True)
    killer.start()
    from grader.batch.cluster import Cluster

    result = grade_batch(
        str(subs),
        str(tmp_path / "out"),
        HOMEWORK,
        cluster=Cluster(cluster.scheduler_address),
    )
    killer.join(timeout=5)
    assert len(killed) == 2
    rows = {row.student: row for row in result.rows}
    assert rows["ed"].status == "crashed" and "died" in rows["ed"].message
    assert [name for name, row in rows.items() if row.status == "crashed"] == ["ed"]
    assert result.exit_code == 1
    gradebook = (tmp_path / "out" / "gradebook.csv").read_text()
    assert gradebook.count("\n") == 1 + 9 and ",crashed," in gradebook


def test_an_interrupted_dask_batch_keeps_what_arrived_and_a_rerun_grades_only_the_rest(local_batch, tmp_path):
    """Ctrl-C after three students: they are kept; a re-run grades the rest into the local batch's bytes."""
    from grader.batch.cluster import Cluster
    from grader.errors import Interrupted

    subs, _, expected = local_batch
    out = tmp_path / "out"
    assignment = HOMEWORK

    def interrupt(done: int, total: int, row: object) -> None:
        if done == 3:
            os.kill(os.getpid(), signal.SIGINT)  # counted by the batch's handler, as a Ctrl-C

    with pytest.raises(Interrupted, match="run the same command again"):
        grade_batch(str(subs), str(out), assignment, cluster=Cluster(workers=2), progress=interrupt)
    first = (out / "gradebook.csv").read_text()
    assert "not-graded" in first
    kept = sum(1 for line in first.splitlines()[1:] if ",not-graded," not in line)
    assert kept >= 3
    result = grade_batch(str(subs), str(out), assignment, cluster=Cluster(workers=2))
    assert sum(1 for row in result.rows if row.reused) == kept
    got = tree(out)
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name] == expected[name], name


def test_a_scheduler_that_goes_away_stops_the_batch_with_a_message_and_a_rerun_finishes(
    local_batch, tmp_path
):
    """The scheduler killed mid-batch: ClusterError naming it, what was graded saved, a re-run ends it."""
    subs, toml, expected = local_batch
    scheduler_file = tmp_path / "scheduler.json"
    dask = [sys.executable, "-m"]
    scheduler = subprocess.Popen(
        [*dask, "distributed.cli.dask_scheduler", "--scheduler-file", str(scheduler_file), "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # the file is written whole by then
        address = json.loads(scheduler_file.read_text())["address"]
        worker = subprocess.Popen(
            [*dask, "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-dashboard"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        from grader.batch.cluster import Cluster
        from grader.errors import ClusterError

        def lose_scheduler(done: int, total: int, row: object) -> None:
            if done == 2:
                scheduler.kill()

        out = tmp_path / "out"
        lost = f"lost the Dask scheduler at {address}.*run the same command again"
        with pytest.raises(ClusterError, match=lost):
            grade_batch(
                str(subs),
                str(out),
                HOMEWORK,
                cluster=Cluster(address),
                progress=lose_scheduler,
            )
        rows = (out / "gradebook.csv").read_text().splitlines()[1:]
        assert len(rows) == 9 and 2 <= sum(",not-graded," not in r for r in rows) < 9
    finally:
        scheduler.kill()
        if worker is not None:
            worker.kill()
            worker.wait()
        scheduler.wait()
    args = ["batch", str(subs), "--assignment", str(toml), "-o", str(out), "--dask", "--jobs", "2"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.stderr
    got = tree(out)
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name] == expected[name], name


def test_a_scheduler_that_cannot_be_reached_exits_2_with_what_to_do(tmp_path, local_batch):
    """--scheduler where nothing listens: exit 2, the address and `dask scheduler` in the message."""
    subs, toml, _ = local_batch
    args = ["batch", str(subs), "--assignment", str(toml), "-o", str(tmp_path / "out")]
    args += ["--scheduler", "tcp://127.0.0.1:9"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert "dask scheduler" in result.stderr and "Traceback" not in result.output
