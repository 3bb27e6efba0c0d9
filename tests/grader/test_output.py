"""What a student's code prints: captured per exercise and at load time, bounded, and shown.

Real submissions are written with tmp_path and graded through the API, the renderers and
check(); the sandbox tests call a worker directly where an exact count of bytes needs one call.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_notebook

from grader import check
from grader.cli import cli
from grader.grading import Options, grade
from grader.render.gradescope import render_gradescope
from grader.render.html import render_html
from grader.render.json import render_json
from grader.render.junit import render_junit
from grader.render.markdown import render_markdown
from grader.render.text import render_text
from grader.report import Report, StudentOutput
from grader.sandbox import Crashed, Limits, Returned, Sandbox
from grader.sandbox.protocol import output_of
from grader.student_output import SHOWN_BYTES

PAIR = ("d_ln_x2", "d_x_plus_x2")
# Far above what a right call needs on a loaded machine; a test that spins waits for it once.
LIMITS = Limits(call_seconds=2.0, load_seconds=10.0, cell_seconds=5.0, exercise_seconds=60.0)
FLOOD = 10 * 1024 * 1024  # 10 MiB


def graded(tmp_path: Path, source: str, only: tuple[str, ...] = PAIR, name: str = "hw.py") -> Report:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return grade(str(path), Options(only=only, examples=10, jobs=1, limits=LIMITS))


def by_name(report: Report) -> dict[str, StudentOutput | None]:
    return {e.name: e.output for e in report.exercises}


# -- where it is captured -------------------------------------------------------------------


def test_a_print_at_import_is_load_output_and_a_print_in_a_function_is_the_exercises(tmp_path):
    """The top level's print is the load's output, once; a function's is its exercise's."""
    report = graded(
        tmp_path,
        'print("loading hw")\n'
        "def d_ln_x2(x):\n"
        '    print("ln called")\n'
        "    return 2 / x\n"
        "def d_x_plus_x2(x):\n"
        "    return 1 + 2 * x\n",
    )
    assert report.status == "passed"
    assert report.load_output == StudentOutput("loading hw\n", 0)
    outputs = by_name(report)
    assert outputs["d_x_plus_x2"] is None
    ln = outputs["d_ln_x2"]
    assert ln is not None and ln.truncated_bytes == 0
    calls = ln.text.count("ln called\n")
    assert calls >= 10 and ln.text == "ln called\n" * calls  # every call's, nothing else


def test_stderr_c_level_writes_and_c_stdio_are_captured_in_the_order_written(tmp_path):
    """sys.stderr, os.write(1, ...) (as C code writes) and C's printf all reach the output."""
    report = graded(
        tmp_path,
        "import ctypes, os, sys\n"
        'print("to stderr", file=sys.stderr)\n'
        'os.write(1, b"fd one\\n")\n'
        'os.write(2, b"fd two\\n")\n'
        'ctypes.CDLL(None).printf(b"from printf\\n")\n'
        'print("to stdout")\n'
        "def d_ln_x2(x):\n    return 2 / x\n",
        only=("d_ln_x2",),
    )
    assert report.load_output is not None
    assert report.load_output.text == "to stderr\nfd one\nfd two\nfrom printf\nto stdout\n"


def test_a_line_printed_without_a_newline_is_flushed_before_the_reply(tmp_path):
    """print(..., end="") waits in Python's buffer: the worker flushes it after each request."""
    report = graded(
        tmp_path,
        'print("no newline", end="")\n'
        "def d_ln_x2(x):\n    return 2 / x\n",
        only=("d_ln_x2",),
    )
    assert report.load_output == StudentOutput("no newline", 0)


def test_output_of_one_exercise_is_never_shown_under_another(tmp_path):
    """Each exercise has exactly what its own calls printed, in every format."""
    report = graded(
        tmp_path,
        "def d_ln_x2(x):\n"
        '    print("FROM-LN")\n'
        "    return 2 / x\n"
        "def d_x_plus_x2(x):\n"
        '    print("FROM-PLUS")\n'
        "    return 1 + 2 * x\n",
    )
    outputs = by_name(report)
    assert outputs["d_ln_x2"] is not None and "FROM-PLUS" not in outputs["d_ln_x2"].text
    assert outputs["d_x_plus_x2"] is not None and "FROM-LN" not in outputs["d_x_plus_x2"].text
    assert report.load_output is None
    text = render_text(report)
    ln_section = text[text.index("d_ln_x2 (scalar): passed") : text.index("d_x_plus_x2 (scalar): passed")]
    plus_section = text[text.index("d_x_plus_x2 (scalar): passed") :]
    assert "FROM-LN" in ln_section and "FROM-PLUS" not in ln_section
    assert "FROM-PLUS" in plus_section and "FROM-LN" not in plus_section
    tests = {t["name"]: t["output"] for t in json.loads(render_gradescope(report))["tests"]}
    assert "FROM-LN" in tests["d_ln_x2 (scalar)"] and "FROM-PLUS" not in tests["d_ln_x2 (scalar)"]
    assert "FROM-PLUS" in tests["d_x_plus_x2 (scalar)"] and "FROM-LN" not in tests["d_x_plus_x2 (scalar)"]


# -- bounded --------------------------------------------------------------------------------


def test_a_10_mb_flood_at_import_is_cut_to_the_first_4_kib_and_the_rest_counted_exactly(tmp_path):
    """The first SHOWN_BYTES are kept; "N more bytes" counts every other byte printed."""
    report = graded(
        tmp_path,
        f'import sys\nsys.stdout.write("a" + "x" * ({FLOOD} - 2) + "z")\n'
        "def d_ln_x2(x):\n    return 2 / x\n",
        only=("d_ln_x2",),
    )
    output = report.load_output
    assert output is not None
    assert output.text == "a" + "x" * (SHOWN_BYTES - 1)
    assert output.truncated_bytes == FLOOD - SHOWN_BYTES
    assert output.cut_note == f"... {FLOOD - SHOWN_BYTES} more bytes (output truncated)"
    assert report.status == "passed"
    text = render_text(report)
    assert f"... {FLOOD - SHOWN_BYTES} more bytes (output truncated)" in text
    assert len(text) < 3 * SHOWN_BYTES


def test_a_10_mb_flood_in_one_call_is_bounded_and_counted_and_the_next_call_is_its_own():
    """A call's flood is cut and counted exactly; what the next call prints is its own."""
    source = (
        "import os\n"
        f"def flood(x):\n    os.write(1, b'y' * {FLOOD})\n    return x\n"
        "def quiet(x):\n    print('quiet')\n    return x\n"
    )
    with Sandbox(source, "flood.py", LIMITS) as sandbox:
        assert sandbox.load().output is None
        [outcome] = sandbox.call("flood", "leaf", [(np.ones(2),)])
        assert isinstance(outcome, Returned)
        flooded = sandbox.take_output()
        assert flooded == StudentOutput("y" * SHOWN_BYTES, FLOOD - SHOWN_BYTES)
        sandbox.call("quiet", "leaf", [(np.ones(2),)] * 3)
        assert sandbox.take_output() == StudentOutput("quiet\n" * 3, 0)
        assert sandbox.take_output() is None


def test_output_adds_up_over_the_calls_of_an_exercise_and_is_cut_once(tmp_path):
    """Many small prints over many calls: the first 4 KiB shown, the total counted."""
    report = graded(
        tmp_path,
        "def d_ln_x2(x):\n"
        '    print("." * 999)\n'  # 1000 bytes a call
        "    return 2 / x\n",
        only=("d_ln_x2",),
    )
    output = by_name(report)["d_ln_x2"]
    assert output is not None
    assert len(output.text.encode()) == SHOWN_BYTES
    assert output.truncated_bytes is not None and output.truncated_bytes > 0
    assert (len(output.text.encode()) + output.truncated_bytes) % 1000 == 0


def test_a_character_cut_by_the_bound_is_counted_not_mangled():
    """UTF-8 is decoded with replacement; a character split at 4 KiB goes to the count."""
    head = b"a" * (SHOWN_BYTES - 1) + "é".encode()  # é is two bytes: its second is past the bound
    output = output_of(head[:SHOWN_BYTES] + b"x" * 10, SHOWN_BYTES + 11)
    assert output is not None
    assert output.text == "a" * (SHOWN_BYTES - 1)
    assert output.truncated_bytes == 12  # the cut é's two bytes and ten more
    assert output_of(b"\xff\xfeok", 4) == StudentOutput("\ufffd\ufffdok", 0)
    assert output_of(b"", 0) is None
    assert output_of(b"x", 5, stopped=True) == StudentOutput("x", None)


def test_terminal_controls_in_output_are_shown_escaped(tmp_path):
    """An escape sequence or a carriage return cannot redraw the report: shown as \\uXXXX."""
    report = graded(
        tmp_path,
        'print("\\x1b[2J\\x1b[32mPASS\\r\\u202eevil")\n'
        "def d_ln_x2(x):\n    return 2 / x\n",
        only=("d_ln_x2",),
    )
    assert report.load_output is not None
    assert report.load_output.text == "\\u001b[2J\\u001b[32mPASS\\u000d\\u202eevil\n"
    assert "\x1b" not in render_text(report) and "\r" not in render_text(report)


def test_a_timed_out_printer_keeps_its_first_bytes_but_no_timing_dependent_count():
    """How much a call printed before it was stopped depends on the machine: not counted."""
    source = "def spam(x):\n    while True:\n        print('spam')\n"
    with Sandbox(source, "spam.py", Limits(call_seconds=0.5)) as sandbox:
        assert sandbox.load().error is None
        [outcome] = sandbox.call("spam", "leaf", [(np.ones(2),)])
        assert isinstance(outcome, Crashed) and "timed out" in outcome.reason
        output = sandbox.take_output()
    assert output is not None and output.text == ("spam\n" * SHOWN_BYTES)[:SHOWN_BYTES]
    assert output.truncated_bytes is None
    assert "not counted" in output.cut_note and "output truncated" in output.cut_note


# -- crashes --------------------------------------------------------------------------------


def test_what_a_function_printed_before_it_crashed_the_worker_is_shown(tmp_path):
    """A print, then a segmentation fault: the exercise is an error and shows the print."""
    report = graded(
        tmp_path,
        'print("loaded")\n'
        "import ctypes, os, signal\n"
        "def d_ln_x2(x):\n"
        '    print("about to crash")\n'
        "    os.kill(os.getpid(), signal.SIGSEGV)\n"
        "def d_x_plus_x2(x):\n"
        '    print("plus")\n'
        "    return 1 + 2 * x\n",
    )
    results = {e.name: e for e in report.exercises}
    assert results["d_ln_x2"].status == "error"
    assert results["d_ln_x2"].output == StudentOutput("about to crash\n", 0)
    # The next exercise runs in a fresh worker, which loads the file again: that load's print
    # was shown once already, at the top, and is not the exercise's.
    assert results["d_x_plus_x2"].status == "passed"
    plus = results["d_x_plus_x2"].output
    assert plus is not None and "loaded" not in plus.text and "plus\n" in plus.text
    assert report.load_output == StudentOutput("loaded\n", 0)


def test_what_the_top_level_printed_before_it_ended_the_worker_is_shown_with_the_load_error(tmp_path):
    """An unloadable file still shows what it printed: often the clue to why it failed."""
    report = graded(
        tmp_path,
        'import os\nprint("step 1 done")\nos._exit(3)\n',
        only=("d_ln_x2",),
    )
    assert report.status == "unloadable"
    assert report.load_output == StudentOutput("step 1 done\n", 0)
    text = render_text(report)
    assert "your output (while the submission was loaded):\n| step 1 done" in text
    assert json.loads(render_json(report))["load_output"] == {"text": "step 1 done\n", "truncated_bytes": 0}


def test_the_terminal_shows_what_an_unloadable_file_printed_after_its_error(tmp_path):
    """`grade FILE` on a file that fails at import: the error, then what it printed, on stderr."""
    path = tmp_path / "hw.py"
    path.write_text('print("step 1")\nimport no_such_module_here\n', encoding="utf-8")
    result = CliRunner().invoke(cli, [str(path), "--only", "d_ln_x2"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stdout == ""
    error, printed = result.stderr.split("your output (while the submission was loaded):\n")
    assert "No module named 'no_such_module_here'" in error
    assert printed == "| step 1\n"


# -- notebooks ------------------------------------------------------------------------------


def test_a_notebook_cells_prints_are_load_output_and_its_functions_prints_the_exercises(tmp_path):
    """Cells run at load time: what they print is the load's; a function's, its exercise's."""
    path = tmp_path / "hw.ipynb"
    cells = [
        new_code_cell('print("cell one")'),
        new_code_cell('def d_ln_x2(x):\n    print("in ln")\n    return 2 / x\nprint("cell two")'),
    ]
    nbformat.write(new_notebook(cells=cells), str(path))
    report = grade(str(path), Options(only=("d_ln_x2",), examples=10, jobs=1, limits=LIMITS))
    assert report.status == "passed"
    assert report.load_output == StudentOutput("cell one\ncell two\n", 0)
    output = by_name(report)["d_ln_x2"]
    assert output is not None and set(output.text.splitlines()) == {"in ln"}


def test_a_notebook_run_again_after_a_cell_killed_the_worker_shows_each_cells_output_once(tmp_path):
    """Cell 2 prints and kills the worker; the rerun without it does not repeat cell 1's print."""
    path = tmp_path / "hw.ipynb"
    cells = [
        new_code_cell('print("one")'),
        new_code_cell('import os\nprint("two, then the end")\nos._exit(1)'),
        new_code_cell('print("three")\ndef d_ln_x2(x):\n    return 2 / x'),
    ]
    nbformat.write(new_notebook(cells=cells), str(path))
    report = grade(str(path), Options(only=("d_ln_x2",), examples=10, jobs=1, limits=LIMITS))
    assert report.notebook is not None and [e.cell for e in report.notebook.cell_errors] == [2]
    assert report.status == "passed"
    assert report.load_output == StudentOutput("one\ntwo, then the end\nthree\n", 0)


# -- the report and its formats -------------------------------------------------------------


def test_the_json_report_has_a_load_output_and_an_output_per_exercise(tmp_path):
    """`load_output` at the top, `output` per exercise: {"text", "truncated_bytes"} or null."""
    report = graded(
        tmp_path,
        'print("top")\n'
        "def d_ln_x2(x):\n    return 2 / x\n"
        "def d_x_plus_x2(x):\n"
        '    if x > 1e9: print("never")\n'
        "    return 1 + 2 * x\n",
    )
    data = json.loads(render_json(report))
    assert data["load_output"] == {"text": "top\n", "truncated_bytes": 0}
    assert [e["output"] for e in data["exercises"]] == [None, None]


def test_the_same_submission_and_seed_give_the_same_report_byte_for_byte(tmp_path):
    """Output is deterministic: two runs of a printing submission give identical JSON and text."""
    source = (
        "import numpy as np\n"
        'print("seeded", np.random.default_rng(0).integers(100))\n'
        "def d_ln_x2(x):\n"
        '    print(f"x = {x:.6f}")\n'
        "    return 2 / x\n"
    )
    first = graded(tmp_path, source, only=("d_ln_x2",))
    second = graded(tmp_path, source, only=("d_ln_x2",))
    assert render_json(first) == render_json(second)
    assert render_text(first) == render_text(second)


def test_every_format_labels_the_output_apart_from_matgrades_messages(tmp_path):
    """Text, Gradescope, JUnit, HTML show it under "your output"; GitHub and Markdown a few lines."""
    report = graded(
        tmp_path,
        'print("hello from import")\n'
        "def d_ln_x2(x):\n"
        '    print("debugging ln")\n'
        "    return 1 / x\n",  # wrong: a failure section, with the output under it
        only=("d_ln_x2",),
    )
    assert report.status == "failed"
    text = render_text(report)
    assert "your output (while the submission was loaded):\n| hello from import\n" in text
    section = text[text.index("d_ln_x2 (scalar): failed") :]
    assert "  your output:\n  | debugging ln\n" in section
    results = json.loads(render_gradescope(report))
    assert "your output:\n| debugging ln" in results["tests"][0]["output"]
    assert "| hello from import" in results["output"]
    junit = render_junit(report)
    assert "<system-out>your output:\n| debugging ln" in junit
    assert "| hello from import" in junit
    assert "your output:" in render_html(report) and "| debugging ln" in render_html(report)
    markdown = render_markdown(report)
    assert "| debugging ln" in markdown and "more lines (the text and JSON reports show them)" in markdown
    assert markdown.count("| debugging ln") == 5


def test_printed_markup_is_escaped_in_html_and_junit_stays_well_formed(tmp_path):
    """What a student prints cannot add markup to a notebook's table or break the XML."""
    import xml.etree.ElementTree as ET

    report = graded(
        tmp_path,
        "def d_ln_x2(x):\n"
        '    print("<script>alert(1)</script> & ]]> \\x00")\n'
        '    __import__("os").write(1, b"\\x00\\x01\\n")\n'
        "    return 2 / x\n",
        only=("d_ln_x2",),
    )
    html = render_html(report)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt;" in html
    root = ET.fromstring(render_junit(report).split("\n", 1)[1])
    [printed] = [e.text for e in root.iter("system-out") if e.text and e.text.startswith("your output:")]
    assert printed is not None and "| <script>alert(1)</script> & ]]> \\u0000" in printed
    assert "| \\u0000\\u0001" in printed  # NUL and SOH, escaped by the grader, are plain text in XML


def test_check_returns_what_the_function_printed(tmp_path):
    """check(fn): `output` holds the function's prints; str() shows them under "your output"."""
    namespace: dict[str, object] = {}
    path = tmp_path / "cell.py"
    path.write_text('def d_ln_x2(x):\n    print("checking", x > 0)\n    return 2 / x\n', encoding="utf-8")
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    import linecache

    linecache.updatecache(str(path))
    result = check(namespace["d_ln_x2"], examples=10)  # type: ignore[arg-type]
    assert result.passed
    assert result.output is not None and result.output.truncated_bytes == 0
    assert set(result.output.text.splitlines()) <= {"checking True", "checking False"}
    assert result.load_output is None
    assert "your output:\n  | checking" in str(result)


@pytest.mark.parametrize(
    "truncated, note", [(5, "... 5 more bytes (output truncated)"), (1, "... 1 more byte (output truncated)")]
)
def test_the_cut_note_counts_bytes(truncated, note):
    """The note says how many bytes were cut, in the singular for one."""
    assert StudentOutput("x", truncated).cut_note == note
    assert StudentOutput("x", 0).cut_note == ""
