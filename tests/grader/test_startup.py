"""`grade --help` and `grade --version` start without numpy, sympy or hypothesis."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from click.testing import CliRunner
from grader.cli import cli
result = CliRunner().invoke(cli, [{arg!r}])
assert result.exit_code == 0, result.output
# grade serve's dependencies too: its command imports them only when it runs.
service = ("fastapi", "sqlalchemy", "uvicorn", "alembic", "jinja2")
heavy = sorted(m for m in ("numpy", "sympy", "hypothesis", "nbformat", *service) if m in sys.modules)
print(",".join(heavy))
"""


@pytest.mark.parametrize("arg", ["--help", "--version"])
def test_help_and_version_import_no_heavy_module(arg):
    """A fresh interpreter running the CLI's --help/--version has not imported numpy & co."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(arg=arg)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
