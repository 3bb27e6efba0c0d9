"""Time limits blame the right party, --examples is bounded, and grading shows its progress.

An exercise's time limit counts only the time the student's function takes (the sandbox's
calls); matgrade's own work (drawing inputs, reference answers, finite differences,
judging) is never charged to the student, and when it overruns the report's advice says
what to lower.  The clocks here are fake wherever the machine's speed would otherwise decide.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from exercises import by_name
from grader.assignment import parse_assignment
from grader.checking import Settings, check_exercise
from grader.cli import cli
from grader.cli.options import MAX_EXAMPLES as CLI_MAX_EXAMPLES
from grader.errors import UsageError
from grader.grading import MAX_EXAMPLES, Options, chosen, grade, grade_submission
from grader.grading.overrun import slow_note, timed
from grader.render.json import render_json
from grader.render.text import render_text
from grader.sandbox import Sandbox
from grader.selfcheck import check
from grader.submission import Submission

ROOT = Path(__file__).resolve().parents[2]
CORRECT = str(ROOT / "examples" / "correct.py")
NEURON = ("neuron", "neuron_grad", "layer_forward", "layer_jacobian")

RIGHT = "import numpy as np\ndef grad_dot(x, z):\n    return z.copy(), x.copy()\n"
WRONG = "import numpy as np\ndef grad_dot(x, z):\n    return z.copy(), x + (x.size > 2)\n"
SLOW = "import time\ndef d_x_plus_x2(x):\n    time.sleep(0.05)\n    return 1 + 2 * x\n"


class FakeClock:
    """A clock that moves only when a test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _slow_reference(name: str, clock: FakeClock, seconds: float) -> Any:
    """The exercise `name`, whose reference answer appears to take `seconds` by `clock`."""
    exercise = by_name()[name]
    reference = exercise.reference

    def slow(*args: Any) -> Any:
        clock.now += seconds
        return reference(*args)

    return dataclasses.replace(exercise, reference=slow)


def _slow_calls(sandbox: Sandbox, clock: FakeClock, seconds: float) -> None:
    """Make each call of the student's function appear to take `seconds` by `clock`."""
    exchange = sandbox._exchange

    def slow(message: dict[str, Any], limit: float, timeout: str) -> dict[str, Any]:
        if message.get("op") == "call":
            clock.now += seconds
        return exchange(message, limit, timeout)

    sandbox._exchange = slow  # type: ignore[method-assign]


def test_the_grader_s_own_slow_steps_are_not_charged_to_the_student():
    """Reference answers taking 100 s each by the clock leave a right answer passed."""
    clock = FakeClock()
    exercise = _slow_reference("grad_dot", clock, 100.0)
    settings = Settings(seed=31, examples=20, exercise_seconds=30.0)
    with Sandbox(RIGHT, "/tmp/student.py", clock=clock) as sandbox:
        assert sandbox.load().error is None
        result = check_exercise(exercise, sandbox, settings)
    assert clock.now >= 20 * 100.0  # the grader's work appeared to take far over the limit
    assert result.status == "passed", result.message
    assert result.examples >= 20


def test_the_student_s_calls_are_charged_and_end_the_exercise_at_the_limit():
    """Calls that take 1 s each by the clock end a right answer as an error at a limit of 5 s."""
    clock = FakeClock()
    settings = Settings(seed=32, examples=100, exercise_seconds=5.0)
    with Sandbox(RIGHT, "/tmp/student.py", clock=clock) as sandbox:
        assert sandbox.load().error is None
        _slow_calls(sandbox, clock, 1.0)
        result = check_exercise(by_name()["grad_dot"], sandbox, settings)
        assert sandbox.student_seconds == clock.now
    assert result.status == "error"
    assert "your function took longer than 5 s in all on this exercise" in result.message
    assert 1 <= result.examples < 100


def test_a_failure_found_before_the_student_s_time_runs_out_is_kept():
    """A wrong answer whose calls use up the limit while shrinking is still failed, with its input."""
    clock = FakeClock()
    settings = Settings(seed=33, examples=100, exercise_seconds=8.0)
    with Sandbox(WRONG, "/tmp/student.py", clock=clock) as sandbox:
        assert sandbox.load().error is None
        _slow_calls(sandbox, clock, 1.0)
        result = check_exercise(by_name()["grad_dot"], sandbox, settings)
    assert result.status == "failed", result.message
    failed = [i for i in result.identities if i.status == "failed"]
    assert failed and all(i.counterexample is not None for i in failed)
    assert any("stopped at the time limit of 8 s" in i.message for i in failed)


def test_a_function_that_sleeps_on_every_call_is_charged_for_it():
    """A real sleep of 0.05 s per call ends the exercise at a limit of 0.5 s."""
    with Sandbox(SLOW, "/tmp/student.py") as sandbox:
        assert sandbox.load().error is None
        result = check_exercise(by_name()["d_x_plus_x2"], sandbox, Settings(seed=34, exercise_seconds=0.5))
        assert sandbox.student_seconds > 0.5
    assert result.status == "error"
    assert "took longer than 0.5 s" in result.message
    assert result.examples < 100


def test_the_grader_s_own_time_beyond_the_limit_is_a_note_naming_what_to_lower():
    """An exercise on which matgrade's work took 100 s per input passes, with a note."""
    clock = FakeClock()
    exercise = _slow_reference("grad_dot", clock, 100.0)
    settings = Settings(seed=35, examples=20, exercise_seconds=30.0)
    with Sandbox(RIGHT, "/tmp/student.py", clock=clock) as sandbox:
        assert sandbox.load().error is None
        check = lambda: check_exercise(exercise, sandbox, settings)  # noqa: E731
        result, note = timed(exercise.name, sandbox, settings, check)
    assert result.status == "passed"
    assert note is not None
    assert note.startswith("matgrade's own work on `grad_dot` took ")
    assert "(drawing and checking 20 inputs" in note
    assert "lower --examples (or `examples` in the assignment) for a faster run" in note


def test_the_grader_s_own_time_within_the_limit_gives_no_note():
    """Up to the exercise's limit, matgrade's own time is not worth a word."""
    settings = Settings(examples=100, exercise_seconds=30.0)
    assert slow_note("neuron_grad", 30.0, settings) is None
    assert slow_note("neuron_grad", 41.2, settings) == (
        "matgrade's own work on `neuron_grad` took 41 s (drawing and checking 100 inputs, beyond the "
        "30 s the student's function may take); lower --examples (or `examples` in the assignment) "
        "for a faster run"
    )


def test_the_note_is_in_the_text_report_without_verbose_and_never_in_the_json():
    """The advice shows in text (without --verbose); the JSON, byte-identical for a seed, omits it."""
    report = grade(CORRECT, Options(only=("exercise:grad_dot",), examples=5, jobs=1))
    note = slow_note("grad_dot", 50.0, Settings())
    assert note is not None
    slow = dataclasses.replace(report, advice=(note,))
    assert f"note: {note}" in render_text(slow)
    assert render_json(slow) == render_json(report)


def test_examples_above_the_maximum_is_a_usage_error_stating_the_maximum():
    """grade() refuses 5,001 examples, naming 5,000, before it reads the file."""
    with pytest.raises(UsageError, match="from 1 to 5,000, not 5,001"):
        grade("no-such-file.py", Options(examples=MAX_EXAMPLES + 1))
    with pytest.raises(UsageError, match="from 1 to 5,000, not 0"):
        grade("no-such-file.py", Options(examples=0))
    assert len(chosen(Options(examples=MAX_EXAMPLES, only=("neuron",)))) == len(NEURON)


@pytest.mark.parametrize("command", [["check", CORRECT], ["list", CORRECT], ["batch", ".", "-o", "out"]])
def test_every_command_taking_examples_refuses_more_than_the_maximum(command, tmp_path):
    """grade, grade list and grade batch exit 2 on --examples 5001, stating the range."""
    result = CliRunner().invoke(cli, [*command, "--examples", "5001"])
    assert result.exit_code == 2
    assert "5001 is not in the range 1<=x<=5000" in result.output


def test_the_cli_s_maximum_is_the_library_s():
    """The option type's bound is grader.grading.MAX_EXAMPLES."""
    assert CLI_MAX_EXAMPLES == MAX_EXAMPLES == 5_000


def test_an_assignment_with_too_many_examples_is_refused_stating_the_maximum():
    """examples = 5001 in an assignment file is an error naming the key and the maximum."""
    data = {"examples": MAX_EXAMPLES + 1, "exercises": {"neuron_grad": {}}}
    with pytest.raises(UsageError, match=r"hw\.toml: examples must be at most 5,000, not 5001"):
        parse_assignment(data, "hw.toml")
    assert parse_assignment({**data, "examples": MAX_EXAMPLES}, "hw.toml").examples == MAX_EXAMPLES


def test_check_with_too_many_examples_returns_a_result_saying_so():
    """check(fn, examples=10**6) does not raise: its result is not passed and names the maximum."""
    def grad_dot(x: Any, z: Any) -> Any:
        return z.copy(), x.copy()

    result = check(grad_dot, examples=10**6)
    assert not result.passed
    assert "--examples must be from 1 to 5,000, not 1,000,000" in result.report.errors[0]


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_is_told_each_exercise_once_by_name(jobs):
    """The progress callback hears every graded exercise's name exactly once, with any jobs."""
    heard: list[str] = []
    submission = Submission(path=CORRECT, source=Path(CORRECT).read_text(), filename=CORRECT)
    report = grade_submission(submission, Options(only=("neuron",), examples=5, jobs=jobs), heard.append)
    assert Counter(heard) == Counter(NEURON)
    assert [e.name for e in report.exercises] == list(NEURON)


def test_progress_hears_nothing_from_a_submission_that_cannot_be_loaded():
    """A file that does not load grades no exercise, so progress is never told."""
    heard: list[str] = []
    submission = Submission(path="bad.py", source="raise SystemExit(3)\n", filename="bad.py")
    report = grade_submission(submission, Options(only=("neuron",), examples=5), heard.append)
    assert not report.loaded
    assert heard == []


def test_the_cli_off_a_terminal_prints_the_report_and_nothing_else():
    """Without a TTY (even with no delay) stdout is the API's report and stderr is empty."""
    options = Options(only=("neuron",), examples=5)
    result = CliRunner(env={"MATGRADE_PROGRESS_DELAY": "0"}).invoke(
        cli, [CORRECT, "--only", "neuron", "--examples", "5", "--format", "json"]
    )
    assert result.exit_code == 0
    assert result.stdout == render_json(grade(CORRECT, options))
    assert result.stderr == ""


def test_the_cli_on_a_terminal_shows_progress_on_stderr_and_erases_it():
    """On a TTY stderr counts the graded exercises, ends erased, and stdout stays the report."""
    controller, terminal = os.openpty()
    env = {**os.environ, "MATGRADE_PROGRESS_DELAY": "0"}
    command = [sys.executable, "-m", "grader.cli", CORRECT, "--only", "neuron", "--examples", "5"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=terminal, env=env, cwd=ROOT)
    os.close(terminal)
    stdout, _ = process.communicate(timeout=120)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    assert process.returncode == 0
    assert b"grading: 0/4 exercises" in seen
    assert b"grading: 4/4 exercises (last: " in seen
    assert seen.endswith(b"\r\x1b[K")
    assert b"\x1b" not in stdout and b"grading:" not in stdout
    assert b"score 4/4" in stdout
