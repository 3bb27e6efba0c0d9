"""`grade FILE` as short for `grade check FILE`: the group's routing and the command's name.

A first argument that is neither a command nor the group's own option (--help, --version) is
for `check`; its usage line and "Try '... --help'" then read `grade SUBMISSION`, as typed.
"""

from __future__ import annotations

import click

__all__ = ["DefaultGroup", "FileCommand"]

IMPLICIT = "matgrade.implicit_check"  # ctx.meta key: `grade FILE` was typed, not `grade check FILE`


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a command, is a file for `check`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `grade hw.py ...` and `grade --seed 3 hw.py`: anything but a command or the group's
        # own options (--help, --version) is for `check`.
        own = {"--version", *self.get_help_option_names(ctx)}
        if args and args[0] not in self.list_commands(ctx) and args[0] not in own:
            ctx.meta[IMPLICIT] = True
            args = ["check", *args]
        return super().parse_args(ctx, args)


class FileContext(click.Context):
    """The context of `check`, named `grade SUBMISSION` when the user typed `grade FILE`."""

    @property
    def command_path(self) -> str:
        if self.meta.get(IMPLICIT) and self.parent is not None:
            # The usage line and "Try '... --help'" then name what the user typed.
            return f"{self.parent.command_path} SUBMISSION"
        return super().command_path


class FileCommand(click.Command):
    """`check`: its usage reads `grade SUBMISSION [OPTIONS]` when called as `grade FILE`."""

    context_class = FileContext

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        if ctx.meta.get(IMPLICIT):
            return [piece for piece in pieces if piece != "SUBMISSION"]
        return pieces
