"""The `grade` group's commands, imported only when one of them runs.

`grade --help` lists every command with its short help from a table (`Lazy`: the module, the
attribute and the first line of the command's docstring), without importing the commands'
modules; a command's module is imported when the command is resolved (it runs, or its own
--help is asked for).  tests/grader/test_startup.py checks that the table's short help is the
command's own and that `grade --help` imports none of the commands' modules.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, NamedTuple

import click

from grader.cli.routing import DefaultGroup

__all__ = ["Lazy", "LazyGroup"]


class Lazy(NamedTuple):
    """Where a command lives and what `grade --help` says of it before it is imported.

    A NamedTuple rather than our usual frozen dataclass: importing dataclasses would be most
    of what this module adds to `grade --help` (about 0.7 ms of its 50).
    """

    module: str  # e.g. "grader.cli.check"
    attribute: str  # the click command in it, e.g. "check"
    short_help: str  # the first line of the command's docstring (a test keeps them equal)

    def stand_in(self, name: str) -> click.Command:
        """A bare command with the short help as its help: click shortens it as the real one's."""
        return click.Command(name, help=self.short_help)

    def load(self) -> click.Command:
        """Import the module and return its command."""
        command = getattr(importlib.import_module(self.module), self.attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.module}.{self.attribute} is not a click command")
        return command


class LazyGroup(DefaultGroup):
    """A `DefaultGroup` whose commands, listed in `lazy`, are imported when first resolved.

    Commands added with `add_command` work as in any click group; a lazy one, once loaded,
    joins them.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, Lazy] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, Lazy] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            command = self.lazy[cmd_name].load()
            if command.name != cmd_name:
                raise LookupError(f"{self.lazy[cmd_name]} is named {command.name!r}, not {cmd_name!r}")
            self.commands[cmd_name] = command
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # As click's own, with the table's short help for the commands not imported yet:
        # the same text, shortened the same way, as the command itself would give.
        shown = [
            (name, self.commands.get(name))
            for name in self.list_commands(ctx)
            if name not in self.commands or not self.commands[name].hidden
        ]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        rows = [
            (name, (loaded or self.lazy[name].stand_in(name)).get_short_help_str(limit))
            for name, loaded in shown
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
