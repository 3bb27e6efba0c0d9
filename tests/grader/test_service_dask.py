"""`grade serve --scheduler tcp://...`: submissions graded as tasks on a real Dask LocalCluster."""

from __future__ import annotations

import pytest

from tests.grader.servicekit import EXAMPLES, HW1, Server, add_accounts, upload, wait_done

pytest.importorskip("fastapi", reason="the serve extra is not installed (pip install 'matgrade[serve]')")
distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (pip install 'matgrade[dask]')"
)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of one worker process on 127.0.0.1, its scheduler's address."""
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
    ) as local:
        yield local.scheduler_address


def test_on_a_dask_cluster_the_report_is_the_one_a_local_grader_gives(cluster, tmp_path):
    """The same file graded by the cluster and by local processes: the same report, status done."""
    (tmp_path / "hw1.toml").write_text(HW1, encoding="utf-8")
    reports = []
    for name, extra in (("dask", ["--scheduler", cluster]), ("local", [])):
        data = tmp_path / name
        tokens = add_accounts(data, ["alice"], "prof")
        server = Server(data, [tmp_path / "hw1.toml"], extra).start()
        try:
            with server.client(tokens["prof"]) as prof, server.client(tokens["alice"]) as alice:
                submitted = upload(alice, "hw1", "alice.py", (EXAMPLES / "mistakes.py").read_bytes()).json()[
                    "id"
                ]
                record = wait_done(prof, submitted)
        finally:
            server.stop()
        assert record["status"] == "done", record["message"]
        reports.append(record["report"])
    assert reports[0] == reports[1]
    assert reports[0]["submission"] == "alice.py" and reports[0]["status"] == "failed"
