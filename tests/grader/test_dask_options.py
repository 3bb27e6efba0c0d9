"""`grade batch --dask` / `--scheduler` refused early, with what to do, where they cannot work."""

from __future__ import annotations

import sys

from click.testing import CliRunner

from grader.cli import cli

CORRECT = "import math\n\ndef d_sin_x2(x):\n    return 2 * x * math.cos(x ** 2)\n"


def test_dask_and_scheduler_together_are_refused_as_a_usage_error(tmp_path):
    """--dask with --scheduler: exit 2 saying to pick one, before anything is graded or written."""
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "ada.py").write_text(CORRECT)
    out = tmp_path / "out"
    args = ["batch", str(tmp_path / "subs"), "-o", str(out), "--dask", "--scheduler", "tcp://127.0.0.1:9"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "not both" in result.stderr
    assert not out.exists()


def test_without_dask_installed_the_options_say_how_to_install_it(tmp_path, monkeypatch):
    """No dask.distributed: exit 2 with pip install 'matgrade[dask]', no traceback, no output folder."""
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` raises ImportError
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "ada.py").write_text(CORRECT)
    out = tmp_path / "out"
    for option in (["--dask"], ["--scheduler", "tcp://127.0.0.1:9"]):
        result = CliRunner().invoke(cli, ["batch", str(tmp_path / "subs"), "-o", str(out), *option])
        assert result.exit_code == 2, result.output
        assert "pip install 'matgrade[dask]'" in result.stderr and "Traceback" not in result.output
        assert not out.exists()


def test_the_class_reports_date_comes_from_source_date_epoch_when_it_is_set(monkeypatch):
    """SOURCE_DATE_EPOCH fixes the one thing two batches write differently, the class report's date."""
    from grader import classreport

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796601600")
    assert classreport._today() == "2026-12-07 00:00 UTC"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert classreport._today().endswith(" UTC") and classreport._today() != "2026-12-07 00:00 UTC"
