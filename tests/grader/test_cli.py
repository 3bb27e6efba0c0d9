"""The `grade` command says what the library API returns, with the documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from grader.cli import cli
from grader.grading import Options, grade
from grader.render.json import render_json

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FAST = ["--examples", "20", "--jobs", "1"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_correct_submission_exits_zero_and_says_so(tmp_path):
    """A file whose functions are all right exits 0 and reports them as PASS."""
    result = run(str(EXAMPLES / "correct.py"), "--only", "neuron", *FAST)
    assert result.exit_code == 0, result.output
    assert result.output.count("PASS") == 4
    assert "score 4/4" in result.output


def test_a_wrong_answer_exits_one_with_its_diagnosis():
    """A mistake exits 1 and the report names the identity, the input and the mistake."""
    result = run(str(EXAMPLES / "mistakes.py"), "--only", "neuron_grad", *FAST)
    assert result.exit_code == 1
    assert "FAIL  neuron_grad" in result.output
    assert "[missing-mask]" in result.output
    assert "smallest failing input" in result.output


def test_json_output_is_the_api_report(tmp_path):
    """--format json prints exactly what grade() returns, rendered as JSON."""
    path = str(EXAMPLES / "mistakes.py")
    result = run(path, "--only", "loss", "--format", "json", "--seed", "3", *FAST)
    api = grade(path, Options(seed=3, examples=20, only=("loss",), jobs=1))
    assert result.output == render_json(api)
    data = json.loads(result.output)
    assert data["schema"] == "matgrade.report/1" and data["seed"] == 3
    assert {e["status"] for e in data["exercises"]} == {"failed", "missing"}


def test_output_file_receives_the_report(tmp_path):
    """--output writes the report to the file and nothing to the terminal."""
    target = tmp_path / "report.json"
    result = run(
        str(EXAMPLES / "correct.py"), "--only", "d_ln_x2", "--format", "json", "-o", str(target), *FAST
    )
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(target.read_text())["score"] == 1.0


def test_a_file_that_does_not_parse_exits_two_with_line_and_caret(tmp_path):
    """A syntax error is a submission error: exit 2, the line, and a caret under it."""
    bad = tmp_path / "bad.py"
    bad.write_text("def d_ln_x2(x):\n    return 2 /\n")
    result = run(str(bad), *FAST)
    assert result.exit_code == 2
    assert "line 2" in result.output and "^" in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_exits_two_with_a_clear_message(tmp_path):
    """A path that does not exist is reported as such, exit 2."""
    result = run(str(tmp_path / "nope.py"), *FAST)
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_an_unknown_only_name_suggests_the_right_one():
    """--only with a misspelt name is a usage error with a suggestion."""
    result = CliRunner().invoke(cli, [str(EXAMPLES / "correct.py"), "--only", "nueron_grad"])
    assert result.exit_code == 2
    assert "did you mean 'neuron_grad'" in result.output


def test_list_shows_every_set_and_the_41_functions():
    """`grade list` names the 7 sets and 41 exercises of the contract."""
    result = run("list")
    assert result.exit_code == 0
    assert "41 exercises in 7 sets" in result.output
    for name in ("d_ln_x2", "jac_relu", "vector_chain", "layer_jacobian", "sgd_epoch", "backprop_batch"):
        assert name in result.output


def test_the_report_does_not_depend_on_the_number_of_jobs():
    """One grader process or two: the same seed gives the same bytes."""
    path = str(EXAMPLES / "mistakes.py")
    one = grade(path, Options(seed=5, examples=15, only=("scalar", "loss"), jobs=1))
    two = grade(path, Options(seed=5, examples=15, only=("scalar", "loss"), jobs=2))
    assert render_json(one) == render_json(two)


def test_an_exercise_named_like_its_set_can_be_chosen_alone():
    """`neuron` names the set; `exercise:neuron` the single exercise."""
    from grader.exercise import select_exercises

    assert len(select_exercises(["neuron"])) == 4
    assert [e.name for e in select_exercises(["exercise:neuron"])] == ["neuron"]
    assert [e.name for e in select_exercises(["set:loss", "exercise:backprop"])][-1] == "backprop"


# -- terminal conventions: colour, width, usage, errors -------------------------------------

ANSI = "\x1b["


def test_no_color_turns_the_colours_off_on_a_terminal(tmp_path):
    """On a real terminal (a pty) the report is coloured, and NO_COLOR=1 turns that off."""
    import os
    import pty
    import subprocess
    import sys

    def on_a_terminal(**env: str) -> str:
        leader, follower = pty.openpty()
        environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
        command = [sys.executable, "-m", "grader.cli", str(EXAMPLES / "correct.py"), "--only", "d_ln_x2"]
        with subprocess.Popen(
            [*command, *FAST], stdout=follower, stderr=subprocess.DEVNULL, env={**environ, **env}
        ) as process:
            os.close(follower)
            chunks = []
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            process.wait(timeout=60)
        os.close(leader)
        return b"".join(chunks).decode()

    assert ANSI in on_a_terminal(TERM="xterm")
    plain = on_a_terminal(TERM="xterm", NO_COLOR="1")
    assert "PASS  d_ln_x2" in plain and ANSI not in plain


def test_force_color_colours_a_report_that_goes_to_a_pipe():
    """FORCE_COLOR=1 colours the report although stdout is not a terminal; empty is unset."""
    args = [str(EXAMPLES / "correct.py"), "--only", "d_ln_x2", *FAST]
    forced = CliRunner().invoke(cli, args, env={"FORCE_COLOR": "1", "NO_COLOR": None})
    assert forced.exit_code == 0 and f"{ANSI}32mPASS" in forced.output
    empty = CliRunner().invoke(cli, args, env={"FORCE_COLOR": "", "NO_COLOR": None})
    assert ANSI not in empty.output


def test_no_color_wins_over_force_color_and_the_flag_wins_over_both():
    """NO_COLOR beats FORCE_COLOR; --colour or --no-colour, given for one run, beats both."""
    args = [str(EXAMPLES / "correct.py"), "--only", "d_ln_x2", *FAST]
    both = {"FORCE_COLOR": "1", "NO_COLOR": "1"}
    assert ANSI not in CliRunner().invoke(cli, args, env=both).output
    assert ANSI in CliRunner().invoke(cli, [*args, "--colour"], env=both).output
    assert ANSI not in CliRunner().invoke(cli, [*args, "--no-colour"], env={"FORCE_COLOR": "1"}).output


def test_the_text_report_of_mistakes_fits_in_80_columns():
    """At COLUMNS=80 no line of `grade examples/mistakes.py` is longer than 80; nothing is lost."""
    path = str(EXAMPLES / "mistakes.py")
    result = CliRunner().invoke(cli, [path, *FAST], env={"COLUMNS": "80"})
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    api = grade(path, Options(examples=20, jobs=1))
    words = " ".join(result.output.split())
    for exercise in api.exercises:
        if exercise.hint:
            assert " ".join(exercise.hint.split()) in words
        for identity in exercise.identities:
            if identity.status not in ("failed", "error"):
                continue  # shown with --verbose only
            for line in identity.message.splitlines():
                assert " ".join(line.split()) in words


def test_the_width_follows_columns_and_is_80_when_not_a_terminal():
    """A wide COLUMNS leaves a long hint on one line; no COLUMNS and no terminal wraps at 80."""
    args = [str(EXAMPLES / "mistakes.py"), "--only", "neuron_grad", *FAST]
    hint = grade(args[0], Options(examples=20, jobs=1, only=("neuron_grad",))).exercises[0].hint
    assert len(hint) > 80
    wide = CliRunner().invoke(cli, args, env={"COLUMNS": "300"})
    assert f"  hint: {hint}\n" in wide.output
    piped = CliRunner().invoke(cli, args, env={"COLUMNS": None})
    assert f"  hint: {hint}\n" not in piped.output
    assert max(len(line) for line in piped.output.splitlines()) <= 80


def test_a_bad_option_after_a_file_names_the_command_the_user_typed():
    """`grade file.py --bogus`: usage and help hint say `grade SUBMISSION`, never `grade check`."""
    result = CliRunner().invoke(cli, [str(EXAMPLES / "correct.py"), "--bogus"], prog_name="grade")
    assert result.exit_code == 2
    assert "Usage: grade SUBMISSION [OPTIONS]\n" in result.output
    assert "Try 'grade SUBMISSION --help' for help." in result.output
    assert "No such option '--bogus'" in result.output
    assert "check" not in result.output
    typed = CliRunner().invoke(cli, ["check", str(EXAMPLES / "correct.py"), "--bogus"], prog_name="grade")
    assert "Usage: grade check [OPTIONS] SUBMISSION" in typed.output


def test_help_after_a_file_shows_the_usage_the_user_typed():
    """`grade file.py --help` documents the options of grading, as `grade SUBMISSION [OPTIONS]`."""
    result = CliRunner().invoke(cli, ["anything.py", "--help"], prog_name="grade")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: grade SUBMISSION [OPTIONS]\n")
    assert "--seed" in result.output


def test_a_missing_file_or_a_directory_is_reported_once_without_a_line_per_exercise(tmp_path):
    """One line on stderr saying what is wrong and what to do, exit 2, no ERR rows, no count."""
    for path, words in ((tmp_path / "nope.py", "no such file"), (tmp_path, "is a directory")):
        result = CliRunner().invoke(cli, [str(path), *FAST])
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"grade: {path}")
        assert words in result.stderr
        assert "ERR" not in result.output and "attempted" not in result.output


def test_a_missing_file_still_gives_ci_a_valid_json_report(tmp_path):
    """--format json: a valid report with status `unloadable` and the error, and exit 2."""
    target = tmp_path / "report.json"
    args = [str(tmp_path / "nope.py"), "--format", "json", "-o", str(target), "--format", "text"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("no such file") == 1
    data = json.loads(target.read_text())
    assert data["status"] == "unloadable" and "no such file" in data["errors"][0]


def test_a_syntax_error_is_shown_once_with_its_caret_and_no_exercise_rows(tmp_path):
    """An unloadable file: the error with its line and caret once, and no ERR row per exercise."""
    bad = tmp_path / "bad.py"
    bad.write_text("def d_ln_x2(x):\n    return 2 /\n")
    result = run(str(bad), *FAST)
    assert result.exit_code == 2
    assert result.output.count("syntax error") == 1
    assert "ERR" not in result.output and "attempted" not in result.output


def test_a_failing_identity_is_marked_fail_which_cannot_be_read_as_x():
    """Each failing identity starts with FAIL (as its exercise row does), never the letter x."""
    result = run(str(EXAMPLES / "mistakes.py"), "--only", "neuron_grad", *FAST)
    lines = result.output.splitlines()
    assert "  FAIL matches the reference answer   [missing-mask]" in lines
    assert not any(line.startswith("  x ") for line in lines)


def test_the_summary_line_shows_the_status_word_of_the_json_report(tmp_path):
    """The text report's last line starts with `status: WORD`, WORD the JSON report's "status"."""
    stub = tmp_path / "stub.py"
    stub.write_text("def d_ln_x2(x):\n    return 2 / x\n")
    cases = [
        (str(EXAMPLES / "correct.py"), "neuron", "passed"),
        (str(EXAMPLES / "mistakes.py"), "loss", "failed"),
        (str(stub), "scalar", "incomplete"),
    ]
    for path, only, status in cases:
        text = run(path, "--only", only, *FAST).output
        data = json.loads(run(path, "--only", only, "--format", "json", *FAST).output)
        assert data["status"] == status
        last = text.split("\n\n")[-1]
        assert last.startswith(f"status: {status}; score "), last


def test_every_listed_command_loads_and_shows_its_own_help():
    """Each command that `grade --help` lists is found when typed, and `grade NAME --help` is its own."""
    from grader.cli import COMMANDS

    listing = CliRunner().invoke(cli, ["--help"], prog_name="grade").output
    for name in COMMANDS:
        assert f"\n  {name} " in listing, name
        result = CliRunner().invoke(cli, [name, "--help"], prog_name="grade")
        assert result.exit_code == 0, (name, result.output)
        assert result.output.startswith(f"Usage: grade {name} "), (name, result.output)
        assert COMMANDS[name].short_help.split()[0] in result.output, name


def test_a_command_not_yet_imported_is_run_and_a_file_still_goes_to_check():
    """Before any command's module is imported, `grade list` runs `list` and `grade hw.py` runs `check`."""
    from grader.cli import COMMANDS
    from grader.cli.lazy import LazyGroup

    def fresh() -> LazyGroup:
        return LazyGroup(name="grade", lazy=COMMANDS, callback=cli.callback, params=cli.params)

    listed = CliRunner().invoke(fresh(), ["list", "--only", "neuron"])
    assert listed.exit_code == 0, listed.output
    assert "neuron_grad" in listed.output
    graded = CliRunner().invoke(fresh(), [str(EXAMPLES / "correct.py"), "--only", "d_ln_x2", *FAST])
    assert graded.exit_code == 0, graded.output
    assert "PASS  d_ln_x2" in graded.output
