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


COMMAND_MODULES = """
import sys
from click.testing import CliRunner
from grader.cli import COMMANDS, cli
result = CliRunner().invoke(cli, ["--help"])
assert result.exit_code == 0, result.output
print(",".join(sorted({entry.module for entry in COMMANDS.values()} & set(sys.modules))))
"""


def test_help_imports_none_of_the_commands_modules():
    """`grade --help` lists every command without importing the module of any of them."""
    out = subprocess.run(
        [sys.executable, "-c", COMMAND_MODULES], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_running_a_command_imports_its_module_only():
    """`grade doctor --help` imports grader.cli.doctor and no other command's module."""
    probe = COMMAND_MODULES.replace('["--help"]', '["doctor", "--help"]')
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "grader.cli.doctor"


def test_each_commands_short_help_is_its_docstrings_first_line():
    """The table that `grade --help` reads says what each command's own docstring says first."""
    from grader.cli import COMMANDS

    for name, entry in COMMANDS.items():
        command = entry.load()
        assert command.name == name
        assert entry.short_help == (command.help or "").splitlines()[0], name


def test_the_lazy_help_is_the_help_of_the_loaded_commands():
    """`grade --help` reads the same before and after every command's module is imported."""
    import click
    from click.testing import CliRunner

    from grader.cli import COMMANDS, cli
    from grader.cli.lazy import LazyGroup

    def listing(group: click.Group) -> str:
        return CliRunner().invoke(group, ["--help"], terminal_width=80).output

    lazy = LazyGroup(name="grade", help=cli.help, lazy=COMMANDS)
    loaded = click.Group(name="grade", help=cli.help, commands=[e.load() for e in COMMANDS.values()])
    assert "Commands:" in listing(lazy)
    assert listing(lazy) == listing(loaded)
    narrow = CliRunner().invoke(lazy, ["--help"], terminal_width=50).output
    assert narrow == CliRunner().invoke(loaded, ["--help"], terminal_width=50).output
