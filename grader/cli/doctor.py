"""`grade doctor`: how student code would be isolated on this machine, layer by layer.

It starts one worker, runs no student code in it, and prints each layer the worker reported
(grader/sandbox/policy.py), then whether matgrade would grade one's own code (`grade FILE`)
and other people's (`grade batch`) here, and how to fix what is missing.  Exits 0 when other
people's code may be graded here, 1 when it would be refused, 2 when no worker starts.
"""

from __future__ import annotations

import json
import os
import platform
import sys

import click

from grader.cli.output import fail
from grader.errors import GraderError

__all__ = ["doctor"]


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text for a person, json for a script.  [default: text]",
)
def doctor(fmt: str) -> None:
    """Show how student code is isolated here, and whether matgrade will grade it."""
    from grader.sandbox.policy import FIXES, Trust, layers, missing, refusal
    from grader.sandbox.sandbox import Sandbox

    try:
        with Sandbox("", "<doctor>", trust=Trust.TRUSTED) as sandbox:
            isolation = sandbox.greet()
    except GraderError as exc:
        fail(exc)
    grader_root = os.geteuid() == 0
    verdicts = {trust.value: refusal(isolation, trust, grader_root) for trust in (Trust.OWN, Trust.OTHERS)}
    facts = {
        "matgrade": _version(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "grader_user": "root" if grader_root else f"uid {os.geteuid()}",
        "layers": [
            {"name": x.name, "active": x.active, "detail": x.detail, "guards": x.guards}
            for x in layers(isolation)
        ],
        "notes": list(isolation.notes),
        "missing": missing(isolation),
        "own_code": verdicts["own"] is None,
        "others_code": verdicts["others"] is None,
    }
    if fmt == "json":
        click.echo(json.dumps(facts, indent=2))
    else:
        click.echo(_text(facts, isolation.notes, verdicts, FIXES))
    sys.exit(0 if verdicts["others"] is None else 1)


def _version() -> str:
    from grader import __version__

    return __version__


def _text(
    facts: dict[str, object], notes: tuple[str, ...], verdicts: dict[str, str | None], fixes: tuple[str, ...]
) -> str:
    lines = [
        f"matgrade {facts['matgrade']}, Python {facts['python']}, {facts['system']}, "
        f"grading as {facts['grader_user']}",
        "",
        "How student code is isolated here:",
    ]
    rows = facts["layers"]
    assert isinstance(rows, list)
    name_width = max(len(row["name"]) for row in rows)
    for row in rows:
        mark = "yes" if row["active"] else " no"
        detail = f" [{row['detail']}]" if row["detail"] else ""
        lines.append(f"  {mark}  {row['name']:<{name_width}}  {row['guards']}{detail}")
    for note in notes:
        lines.append(f"  note: {note}")
    lines.append("")
    own = verdicts["own"]
    others = verdicts["others"]
    lines.append("Your own code (grade FILE, check()): " + ("graded" if own is None else "refused"))
    lines.append("Other people's code (grade batch): " + ("graded" if others is None else "refused"))
    lacking = facts["missing"]
    assert isinstance(lacking, list)
    if lacking:
        lines.append("")
        lines.append("Missing: " + "; ".join(lacking) + ".")
        lines.append("To fix it:")
        lines.extend(f"  - {fix}" for fix in fixes)
    return "\n".join(lines)
