"""`grade prairielearn` (PrairieLearn's /grade layout, graded) and `grade init PLATFORM` (its files)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from grader.cli.output import fail
from grader.errors import GraderError, UsageError

__all__ = ["init", "prairielearn"]


@click.command()
@click.option(
    "--root",
    default="/grade",
    show_default=True,
    envvar="MATGRADE_GRADE_ROOT",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder laid out as PrairieLearn mounts it (MATGRADE_GRADE_ROOT).",
)
def prairielearn(root: Path) -> None:
    """Grade PrairieLearn's /grade layout into /grade/results/results.json.

    The assignment is the TOML file in tests/, the submission the one .py or .ipynb file in
    student/.  A valid results.json is always written: a submission that cannot be graded
    (no file, several, a syntax error) is marked not gradable, with the reason.
    """
    from grader.prairielearn import grade_prairielearn

    try:
        if not root.is_dir():
            raise UsageError(f"no folder {root}: give the folder laid out like /grade with --root")
        outcome = grade_prairielearn(root)
    except GraderError as exc:
        fail(exc)
    what = f"score {outcome.score:.4g}" if outcome.gradable else "not gradable"
    click.echo(f"{outcome.path}: {what}: {outcome.message}")


def _write(folder: Path, files: list[tuple[str, bytes, int]]) -> None:
    for name, data, mode in files:
        target = folder / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, mode)
        except OSError as exc:
            raise GraderError(f"cannot write {target}: {exc.strerror}") from None


@click.command()
@click.argument("platform", type=click.Choice(["github-classroom", "prairielearn"]))
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--assignment",
    type=click.Path(dir_okay=False, path_type=str),
    help="github-classroom: the assignment file (TOML) whose exercise sets become runners.",
)
@click.option(
    "--submission",
    default="submission.py",
    show_default=True,
    help="github-classroom: the file students commit, as a path in their repository.",
)
@click.option(
    "--per",
    type=click.Choice(["set", "exercise"]),
    default="set",
    show_default=True,
    help="github-classroom: one runner per exercise set, or per exercise.",
)
def init(platform: str, folder: Path, assignment: str | None, submission: str, per: str) -> None:
    """Write the files PLATFORM needs into FOLDER (default: here).

    github-classroom: .github/workflows/classroom.yml, one runner per exercise set of
    --assignment (or per exercise: --per exercise), and .github/matgrade/SET.toml for each;
    commit them to the template repository.  prairielearn: Dockerfile, run.sh and a copy of
    matgrade's source, to build the external grader image (docs/platforms.md).
    """
    try:
        if platform == "github-classroom":
            from grader.assignment import load_assignment
            from grader.classroom import classroom_files

            if assignment is None:
                raise UsageError(
                    "grade init github-classroom needs --assignment FILE (its sets become runners)"
                )
            made = classroom_files(load_assignment(assignment), submission, per=per)
            _write(folder, [(name, text.encode(), 0o644) for name, text in made.files])
            for name, _ in made.files:
                click.echo(f"wrote {folder / name}")
            click.echo(f"{len(made.runners)} runners: {', '.join(runner for runner, _ in made.runners)}")
        else:
            from grader.bundle import constraints_text, matgrade_source
            from grader.prairielearn import DOCKERFILE, RUN_SH

            files = [("Dockerfile", DOCKERFILE.encode(), 0o644), ("run.sh", RUN_SH.encode(), 0o755)]
            files.append(("constraints.txt", constraints_text().encode(), 0o644))
            files += [(name, data, 0o644) for name, data in matgrade_source()]
            _write(folder, files)
            click.echo(
                f"wrote {folder}/Dockerfile, run.sh, constraints.txt and matgrade/; build the image with "
                f"docker build -t YOUR_ORG/matgrade-grader {folder}"
            )
    except GraderError as exc:
        fail(exc)
