"""`grade prairielearn`: grade PrairieLearn's /grade layout into /grade/results/results.json.

PrairieLearn's external grader mounts the question's `tests/` at /grade/tests, the student's
files at /grade/student and the question's data at /grade/data/data.json, runs the image's
entry point and reads /grade/results/results.json (PrairieLearn's docs/externalGrading.md).
Here:

    /grade/tests/*.toml       the assignment (one TOML file; `assignment.toml` when several)
    /grade/student/           exactly one regular .py or .ipynb file (links are not followed)
    /grade/data/data.json     read for `variant_seed` only: the "student" of `seed = "student"`
    /grade/results/           results.json, always written (render/prairielearn.py)

What the student did wrong (no file, several, a syntax error) makes the submission not
gradable, with the reason in `format_errors`: PrairieLearn then does not count the attempt.
A question set up wrong (no assignment, a bad one) is not gradable either, and says to tell
the instructor.  `RUN_SH` and `DOCKERFILE` are the image's entry point and build file;
`grade init prairielearn` writes them with a copy of matgrade's source.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import GraderError
from grader.render.prairielearn import within_limit
from grader.scripts import JSON_STRING_SH

__all__ = ["DEFAULT_ROOT", "DOCKERFILE", "RUN_SH", "Outcome", "grade_prairielearn"]

DEFAULT_ROOT = "/grade"
_SUFFIXES = (".py", ".ipynb")
_SKIPPED = ("__pycache__", "__MACOSX", ".ipynb_checkpoints")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What was written to results.json: the score, whether it was gradable, the message."""

    path: Path
    gradable: bool
    score: float
    message: str


def _not_gradable(message: str, errors: list[str]) -> dict[str, Any]:
    return {"gradable": False, "score": 0.0, "message": message, "format_errors": errors, "tests": []}


def _assignment(tests: Path) -> Path:
    """The assignment TOML in /grade/tests; GraderError (an instructor's mistake) when unclear."""
    found = sorted(p for p in tests.glob("*.toml") if p.is_file() and not p.is_symlink())
    if len(found) > 1:
        named = [p for p in found if p.name == "assignment.toml"]
        if not named:
            names = ", ".join(p.name for p in found)
            raise GraderError(
                f"the question's tests/ holds several TOML files ({names}); name one assignment.toml"
            )
        found = named
    if not found:
        raise GraderError(
            "the question has no assignment: put the assignment TOML file in the question's tests/ folder"
        )
    return found[0]


def _submission(student: Path) -> Path | str:
    """The one .py or .ipynb file the student submitted, or what is wrong with the submission."""
    files: list[Path] = []
    links: list[str] = []
    if student.is_dir():
        for path in sorted(student.rglob("*")):
            relative = path.relative_to(student)
            if any(part in _SKIPPED or part.startswith("._") for part in relative.parts):
                continue
            if path.suffix not in _SUFFIXES:
                continue
            if path.is_symlink():
                links.append(relative.as_posix())
            elif path.is_file():
                files.append(path)
    if links:
        return f"{links[0]} is a symbolic link, not a file: submit the file itself."
    if not files:
        return "No .py or .ipynb file was submitted: submit your solution as one .py file (or one notebook)."
    if len(files) > 1:
        names = " ".join(p.relative_to(student).as_posix() for p in files)
        return f"{len(files)} .py or .ipynb files were submitted ({names}): submit exactly one."
    return files[0]


def _variant(data: Path) -> str | None:
    """PrairieLearn's variant seed from data.json, as text; None when there is none."""
    try:
        value = json.loads(data.read_text(encoding="utf-8")).get("variant_seed")
    except (OSError, ValueError, AttributeError):
        return None
    return None if value is None else str(value)


def _results(root: Path) -> dict[str, Any]:
    from grader.assignment import load_assignment
    from grader.grading import grade
    from grader.render.prairielearn import prairielearn_results

    try:
        assignment = load_assignment(str(_assignment(root / "tests")))
    except GraderError as exc:
        message = f"This question's autograder is set up wrong ({exc}). Tell your instructor."
        return _not_gradable(message, [message])
    submission = _submission(root / "student")
    if isinstance(submission, str):
        return _not_gradable(submission, [submission])
    student = _variant(root / "data" / "data.json") or submission.stem
    report = grade(str(submission), assignment.options(student))
    hidden = {name for name, shown in assignment.visibilities.items() if shown != "visible"}
    results = prairielearn_results(report)
    for test, exercise in zip(results["tests"], report.exercises, strict=True):
        if exercise.name in hidden:
            test["output"] = "The details of this exercise are hidden by your instructor.\n"
    return results


def grade_prairielearn(root: Path) -> Outcome:
    """Grade the /grade layout under `root`; write results/results.json (atomically) and say what.

    Every outcome is written, gradable or not; GraderError only when results/ cannot be written.
    """
    folder = root / "results"
    try:
        results = _results(root)
    except GraderError as exc:
        message = f"The autograder could not grade this submission ({exc}). Tell your instructor."
        results = _not_gradable(message, [message])
    text = within_limit(results)
    target = folder / "results.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".results-", suffix=".json", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        raise GraderError(f"cannot write {target}: {exc.strerror}") from None
    gradable = bool(results.get("gradable", True))
    return Outcome(target, gradable, float(results["score"]), str(results["message"]))


RUN_SH = (
    r"""#!/usr/bin/env bash
# PrairieLearn's entry point for matgrade (written by `grade init prairielearn`).
# It grades /grade/student against the assignment in /grade/tests and always leaves a valid
# /grade/results/results.json, even when `grade` is missing, crashes or runs out of time.
set -u

ROOT="${MATGRADE_GRADE_ROOT:-/grade}"
RESULTS="$ROOT/results/results.json"
TIME_LIMIT="${MATGRADE_TIME_LIMIT:-100}"   # keep it below the question's "timeout" in info.json
GRADE="${MATGRADE_GRADE:-grade}"

mkdir -p "$ROOT/results"
rm -f "$RESULTS"

"""
    + JSON_STRING_SH
    + r"""
# Not gradable, with the message $1: PrairieLearn does not count the attempt.
fail() {
    local message
    echo "run.sh: $1" >&2
    message="$(json_string "$1")"
    printf '{"gradable": false, "score": 0, "message": "%s", "format_errors": ["%s"], "tests": []}\n' \
        "$message" "$message" >"$RESULTS"
    exit 0
}

if ! command -v "$GRADE" >/dev/null 2>&1; then
    fail "The autograder image has no matgrade (no $GRADE command): tell your instructor."
fi
ERRORS="$(mktemp)"
COMMAND=("$GRADE" prairielearn --root "$ROOT")
if command -v timeout >/dev/null 2>&1; then
    COMMAND=(timeout --kill-after=5 "$TIME_LIMIT" "${COMMAND[@]}")
fi
"${COMMAND[@]}" 2>"$ERRORS"
STATUS=$?
cat "$ERRORS" >&2
if [ ! -s "$RESULTS" ] || ! grep -q '"score"' "$RESULTS"; then
    if [ "$STATUS" -eq 124 ] || [ "$STATUS" -eq 137 ]; then
        fail "Grading took longer than $TIME_LIMIT seconds and was stopped: does your file run \
a long computation (or an endless loop) when it is loaded? Check with grade FILE on your machine."
    fi
    fail "The grader stopped (exit $STATUS) without a result: $(tail -c 800 "$ERRORS"). Tell your instructor."
fi
rm -f "$ERRORS"
exit 0
"""
)

DOCKERFILE = r"""# The PrairieLearn external-grader image for matgrade (written by `grade init prairielearn`).
#   docker build -t YOUR_ORG/matgrade-grader .    then push it and name it in info.json:
#   "externalGradingOptions": {"enabled": true, "image": "YOUR_ORG/matgrade-grader",
#                              "entrypoint": "/opt/matgrade/run.sh", "timeout": 120}
FROM python:3.11-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY constraints.txt /opt/matgrade/constraints.txt
COPY matgrade/ /opt/matgrade/src/
RUN python -m pip install -c /opt/matgrade/constraints.txt /opt/matgrade/src && grade --version
COPY run.sh /opt/matgrade/run.sh
RUN chmod 0755 /opt/matgrade/run.sh
# PrairieLearn runs the container as root: matgrade then runs student code as a private
# unprivileged uid, with Landlock and seccomp (grade doctor shows the layers).
ENTRYPOINT ["/opt/matgrade/run.sh"]
"""
