"""Notebook submissions: real .ipynb files made with nbformat, graded through the API and the CLI.

Each notebook is written in tmp_path with `nbformat.v4`; the tests assert what a student
reads (which cell failed, which lines were skipped) and that every exercise the notebook
defines is graded as a .py file would be, whatever its other cells do.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

import grader
from grader.batch import discover
from grader.cli import cli
from grader.errors import SubmissionError
from grader.grading import Options, grade
from grader.render.json import render_json
from grader.render.text import render_text
from grader.report import ExerciseResult, Report
from grader.sandbox import Limits
from grader.submission import Skipped, read_notebook, strip_ipython

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GRADER_DIR = str(Path(grader.__file__).resolve().parent)
PAIR = ("d_ln_x2", "d_x_plus_x2")
# Right cells and calls take milliseconds: these limits are far above that on a loaded machine,
# and small enough that a test whose cell loops forever waits for one of them only once.
LIMITS = Limits(call_seconds=2.0, load_seconds=10.0, cell_seconds=2.0, exercise_seconds=60.0)
STOPPED = "cell 2 was stopped: it ran longer than 2 s, the time limit per cell; the other cells ran"
LN = "def d_ln_x2(x):\n    return 2 / x\n"
PLUS = "def d_x_plus_x2(x):\n    return 1 + 2 * x\n"
FAST = ["--only", "d_ln_x2", "--only", "d_x_plus_x2", "--examples", "10", "--jobs", "1"]


def write(tmp_path: Path, *cells: object, name: str = "homework.ipynb") -> Path:
    """A version 4 notebook of `cells`; a plain string is a code cell."""
    made = [new_code_cell(c) if isinstance(c, str) else c for c in cells]
    path = tmp_path / name
    nbformat.write(new_notebook(cells=made), str(path))
    return path


def run(
    path: Path, only: tuple[str, ...] = PAIR, limits: Limits = LIMITS
) -> tuple[dict[str, ExerciseResult], Report]:
    """Grade `path` through the API; the results by name and the report."""
    report = grade(str(path), Options(only=only, examples=10, jobs=1, limits=limits))
    for text in report.all_errors:
        assert "Traceback (most recent call last)" not in text
        assert GRADER_DIR not in text and "sandbox/worker/" not in text
    return {r.name: r for r in report.exercises}, report


def invoke(*args: str):
    """Run the `grade` command."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# -- reading: IPython-only lines ------------------------------------------------------------


def test_magics_shell_lines_and_help_are_replaced_by_pass_on_their_own_lines():
    """%magic, !shell, x = !cmd, obj? and ?obj become `pass`, keeping every other line in place."""
    source = "%matplotlib inline\nimport numpy as np\n!pip install numpy\nfiles = !ls\nnp.dot?\n??np\nx = 1\n"
    code, skipped = strip_ipython(source, cell=3)
    assert code.splitlines() == ["pass", "import numpy as np", "pass", "pass", "pass", "pass", "x = 1"]
    assert [(s.cell, s.line, s.text) for s in skipped] == [
        (3, 1, "%matplotlib inline"),
        (3, 3, "!pip install numpy"),
        (3, 4, "files = !ls"),
        (3, 5, "np.dot?"),
        (3, 6, "??np"),
    ]


def test_ipython_lines_inside_a_block_keep_the_block_valid():
    """An indented magic becomes an indented `pass`, so the code around it still compiles."""
    code, skipped = strip_ipython("for i in range(3):\n    %time f(i)\ny = 2\n", cell=1)
    compile(code, "<cell 1>", "exec")
    assert code.splitlines()[1] == "    pass" and len(skipped) == 1


def test_lines_inside_strings_brackets_and_comments_are_left_alone():
    """`%`, `!` and `?` in a docstring, a bracket continuation or a comment are Python, not IPython."""
    source = (
        'def f(a, b):\n    """Why?\n    !important\n    %done\n    """\n'
        "    return (a\n            % b)  # what?\n"
        "s = 'x?'\n"
    )
    code, skipped = strip_ipython(source, cell=1)
    assert code == source and skipped == []


def test_a_backslash_continued_magic_is_skipped_whole():
    """The continuation lines of a skipped magic are skipped with it."""
    code, skipped = strip_ipython("%timeit f(1,\\\n   2)\nx = 1\n", cell=2)
    assert code.splitlines() == ["pass", "", "x = 1"] and len(skipped) == 1


def test_a_cell_magic_skips_its_cell_but_time_and_capture_run_their_body():
    """%%bash is not Python (the whole cell is skipped); %%time runs its body, as in Jupyter."""
    code, skipped = strip_ipython("%%bash\necho hi\nls\n", cell=4)
    assert code == "" and skipped == [Skipped(4, 1, "%%bash", whole_cell=True)]
    code, skipped = strip_ipython("%%time\ndef f(x):\n    return x\n%who\n", cell=5)
    namespace: dict[str, object] = {}
    exec(compile(code, "<cell 5>", "exec"), namespace)
    assert "f" in namespace
    assert [(s.line, s.text, s.whole_cell) for s in skipped] == [(1, "%%time", False), (4, "%who", False)]


def test_terminal_controls_in_a_skipped_line_are_shown_escaped():
    """A skipped line reaches the report: its escape codes cannot redraw the terminal."""
    _, skipped = strip_ipython("%ls \x1b[2J\u202e\n", cell=1)
    assert skipped[0].text == "%ls \\u001b[2J\\u202e"


def test_get_ipython_calls_are_skipped():
    """What `jupyter nbconvert --to script` writes for a magic is listed and not run."""
    code, skipped = strip_ipython("get_ipython().run_line_magic('matplotlib', 'inline')\nx = 1\n", cell=1)
    assert code.splitlines() == ["pass", "x = 1"] and skipped[0].text.startswith("get_ipython()")


# -- reading: the notebook file -------------------------------------------------------------


def test_code_cells_are_numbered_among_all_cells_and_among_code_cells(tmp_path):
    """Markdown and raw cells are not run but count in the cell number a student scrolls to."""
    path = write(tmp_path, new_markdown_cell("# Homework"), "x = 1", new_raw_cell("raw"), "y = 2")
    notebook = read_notebook(str(path), path.read_bytes())
    assert [(c.number, c.code_number, c.source) for c in notebook.cells] == [(2, 1, "x = 1"), (4, 2, "y = 2")]
    assert notebook.cells[1].label == "cell 4 (code cell 2)" and notebook.cells[1].filename == "<cell 4>"


def test_an_nbformat_3_notebook_is_upgraded(tmp_path):
    """A version 3 notebook (worksheets, `input`) is upgraded to version 4 with nbformat."""
    v3 = nbformat.v3
    cells = [v3.new_text_cell("markdown", source="hi"), v3.new_code_cell(input=LN)]
    old = v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)])
    path = tmp_path / "old.ipynb"
    path.write_text(nbformat.writes(old, version=3), encoding="utf-8")
    notebook = read_notebook(str(path), path.read_bytes())
    assert notebook.upgraded_from == 3
    assert [(c.number, c.source) for c in notebook.cells] == [(2, LN)]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"cells": [', "cannot be read as a notebook: it is not valid JSON"),
        (b"[1, 2]", "holds JSON but not a notebook"),
        (b'{"cells": []}', "has no `nbformat` version"),
        (b'{"nbformat": 5, "cells": []}', "format version 5, which matgrade cannot read"),
        (b'{"nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": [{}]}]}', "cannot be upgraded"),
        (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "has no list of cells"),
        (
            b'{"nbformat": 4, "nbformat_minor": 5, "cells": [],'
            b' "metadata": {"kernelspec": {"language": "R"}}}',
            "is a R notebook; matgrade grades Python",
        ),
    ],
)
def test_a_notebook_that_cannot_be_read_is_refused_with_what_to_do(tmp_path, content, expected):
    """Broken JSON and other formats are a SubmissionError saying what to do."""
    path = tmp_path / "broken.ipynb"
    path.write_bytes(content)
    with pytest.raises(SubmissionError, match=r"broken\.ipynb") as raised:
        read_notebook(str(path), content)
    assert expected in str(raised.value)


# -- grading --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells",
    [(), (new_markdown_cell("# Homework 1"),), ("", "  \n# to do\n", new_markdown_cell("notes"))],
    ids=["no-cells", "markdown-only", "blank-code-cells"],
)
def test_a_notebook_without_code_loads_with_every_exercise_missing_and_says_it_is_empty(tmp_path, cells):
    """No code cell, or only blank ones, grades like an empty .py: all missing, an error saying so, exit 0."""
    results, report = run(write(tmp_path, *cells))
    assert report.loaded and report.status == "incomplete" and report.exit_code == 0
    assert {r.status for r in results.values()} == {"missing"}
    [error] = report.errors
    assert "homework.ipynb is empty" in error and "`grade start SET`" in error
    assert json.loads(render_json(report))["status"] == "incomplete"


def test_a_homework_notebook_grades_its_functions_and_lists_what_it_did_not_run(tmp_path):
    """Markdown, magics, !pip and a raising cell: the functions pass, the rest is reported."""
    path = write(
        tmp_path,
        new_markdown_cell("# Homework 1\nThe derivative of $\\ln x^2$ is ..."),
        "%matplotlib inline\n!pip install numpy\nimport numpy as np",
        LN,
        "d_ln_x2?\nprint(d_ln_x2(2.0))\nd_ln_x2(0)\n",
        PLUS,
    )
    results, report = run(path)
    assert results["d_ln_x2"].status == "passed" and results["d_x_plus_x2"].status == "passed"
    assert report.exit_code == 0
    first = report.all_errors[0]
    assert first.startswith("cell 4 (code cell 3) raised ZeroDivisionError: division by zero (line 3)")
    assert 'File "<cell 4>", line 3' in first and 'File "<cell 3>", line 2, in d_ln_x2' in first
    assert report.notebook is not None and report.notebook.code_cells == 4
    assert [(s.cell, s.text) for s in report.notebook.skipped] == [
        (2, "%matplotlib inline"),
        (2, "!pip install numpy"),
        (4, "d_ln_x2?"),
    ]
    text = render_text(report)
    assert "error: cell 4 (code cell 3) raised ZeroDivisionError: division by zero (line 3)" in text
    assert (
        "skipped 3 IPython-only lines (not run): cell 2 `%matplotlib inline`, "
        "cell 2 `!pip install numpy`, cell 4 `d_ln_x2?`\n"
    ) in text
    data = json.loads(render_json(report))
    assert data["notebook"]["cell_errors"][0] == {
        "cell": 4,
        "code_cell": 3,
        "type": "ZeroDivisionError",
        "message": "division by zero",
        "line": 3,
        "traceback": report.notebook.cell_errors[0].traceback,
    }


def test_a_raising_cell_costs_only_itself_and_later_cells_still_run(tmp_path):
    """A cell that raises before its own `def` loses that function; later cells' functions pass."""
    path = write(tmp_path, "import numpy as np", "x = undefined_name\n" + LN, PLUS)
    results, report = run(path)
    assert results["d_ln_x2"].status == "missing"
    assert results["d_x_plus_x2"].status == "passed"
    assert report.all_errors == (
        "cell 2 raised NameError: name 'undefined_name' is not defined (line 1)\n"
        '  File "<cell 2>", line 1, in <module>\n    x = undefined_name\n        ^^^^^^^^^^^^^^',
    )


def test_a_cell_that_does_not_parse_shows_its_line_and_the_other_cells_run(tmp_path):
    """A syntax error costs only its cell: the report shows the line and a caret."""
    path = write(tmp_path, LN, "def broken(:\n    pass\n", PLUS)
    results, report = run(path)
    assert results["d_ln_x2"].status == "passed" and results["d_x_plus_x2"].status == "passed"
    assert report.all_errors == (
        "cell 2 raised SyntaxError: invalid syntax (line 1)\n"
        '  File "<cell 2>", line 1\n    def broken(:\n               ^',
    )


def test_functions_spread_over_cells_grade_and_the_last_definition_wins(tmp_path):
    """A helper in one cell, the exercise in another; a later cell's redefinition is the one graded."""
    path = write(
        tmp_path,
        "def d_ln_x2(x):\n    return 1 / x  # first try, wrong\n",
        "def twice(v):\n    return 2 * v\n",
        "def d_ln_x2(x):\n    return twice(1 / x)\n",
        "def d_x_plus_x2(x):\n    return 1 + twice(x)\n",
        "def d_x_plus_x2(x):\n    return twice(x)  # a later, wrong version\n",
        "display(twice)  # IPython's builtin: shows nothing here\n",
    )
    results, report = run(path)
    assert results["d_ln_x2"].status == "passed"
    assert results["d_x_plus_x2"].status == "failed"
    assert report.all_errors == ()


def test_an_error_in_a_graded_function_shows_the_cell_and_line(tmp_path):
    """A function of a notebook that raises while graded shows its own cell's frames."""
    path = write(tmp_path, "def d_ln_x2(x):\n    y = 2 / x\n    return y[0]\n", PLUS)
    results, _ = run(path)
    assert results["d_ln_x2"].status == "error"
    messages = "\n".join(i.message for i in results["d_ln_x2"].identities) + results["d_ln_x2"].message
    assert '<cell 1>", line 3, in d_ln_x2' in messages


def test_stored_outputs_are_ignored(tmp_path):
    """Outputs and execution counts stored in the notebook change nothing in the report."""
    plain = write(tmp_path, LN, PLUS)
    with_outputs = nbformat.read(str(plain), as_version=4)
    for count, cell in enumerate(with_outputs.cells, start=7):
        cell.execution_count = count
        cell.outputs = [
            new_output("stream", name="stdout", text="def d_x_plus_x2(x): return 0\n"),
            new_output("error", ename="ValueError", evalue="stale", traceback=["old"]),
            new_output("execute_result", data={"text/plain": "42"}, execution_count=count),
        ]
    nbformat.write(with_outputs, str(plain))
    _, report = run(plain)
    clean = write(tmp_path, LN, PLUS, name="clean.ipynb")
    _, expected = run(clean)
    assert render_json(report) == render_json(expected).replace("clean.ipynb", "homework.ipynb")
    assert report.all_errors == () and report.score == 2


def test_an_endless_loop_in_a_cell_is_stopped_by_the_limit_per_cell(tmp_path):
    """An endless loop is stopped after cell_seconds, keeping what its cell defined before it
    (as when Jupyter interrupts a cell); the cells after it still run."""
    path = write(tmp_path, "import numpy as np", LN + "i = 0\nwhile True:\n    i += 1\n", PLUS)
    results, report = run(path)
    assert results["d_ln_x2"].status == "passed" and results["d_x_plus_x2"].status == "passed"
    assert report.all_errors == (STOPPED,)
    error = report.notebook.cell_errors[0] if report.notebook else None
    assert error is not None and (error.type, error.line) == ("Timeout", None)


def test_the_limit_per_cell_is_set_by_cell_timeout_and_by_an_assignment(tmp_path):
    """`--cell-timeout` and an assignment's `cell_timeout` set the limit the report names."""
    path = write(tmp_path, LN, "while True:\n    pass\n", PLUS)
    result = invoke(str(path), *FAST, "--cell-timeout", "2", "--format", "json")
    report = json.loads(result.output)
    assert any("ran longer than 2 s, the time limit per cell" in e for e in report["errors"])
    assert {e["name"]: e["status"] for e in report["exercises"]} == {
        "d_ln_x2": "passed",
        "d_x_plus_x2": "passed",
    }
    assignment = tmp_path / "hw.toml"
    assignment.write_text(
        'title = "hw"\nseed = 1\nexamples = 10\ncell_timeout = 1.5\n'
        "[exercises.d_ln_x2]\npoints = 1\n[exercises.d_x_plus_x2]\npoints = 1\n"
    )
    result = invoke(str(path), "--assignment", str(assignment), "--jobs", "1", "--format", "json")
    assert any("ran longer than 1.5 s" in e for e in json.loads(result.output)["errors"])


def test_input_fails_at_once_instead_of_waiting(tmp_path):
    """input() has no terminal to read: it raises EOFError at once, with a hint; others grade."""
    path = write(tmp_path, LN, "name = input('your name? ')\n", PLUS)
    # Were input() to wait, the cell would be stopped at its limit and the message would say so.
    results, report = run(path, limits=dataclasses.replace(LIMITS, cell_seconds=60.0))
    expected = "cell 2 raised EOFError: EOF when reading a line (line 1); input() cannot be answered"
    assert report.all_errors[0].startswith(expected)
    assert results["d_x_plus_x2"].status == "passed"


def test_a_v3_notebook_is_graded_after_an_upgrade(tmp_path):
    """An nbformat 3 notebook grades like its version 4 upgrade, with a note saying so."""
    v3 = nbformat.v3
    cells = [v3.new_text_cell("markdown", source="# old"), v3.new_code_cell(input=LN)]
    cells.append(v3.new_code_cell(input=PLUS))
    path = tmp_path / "old.ipynb"
    path.write_text(nbformat.writes(v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)]), version=3))
    results, report = run(path)
    assert results["d_ln_x2"].status == "passed" and results["d_x_plus_x2"].status == "passed"
    assert "the notebook was upgraded from format version 3 to 4" in report.notes


# -- hostile cells --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("import sys\nsys.exit(3)\n", "cell 2 raised SystemExit: 3 (line 2); a notebook cell must not exit"),
        ("raise KeyboardInterrupt\n", "cell 2 raised KeyboardInterrupt (line 1)"),
        ("import grader\n", "cell 2 raised ImportError: the grader's module 'grader' cannot be imported"),
        ("from exercises import by_name\n", "cell 2 raised ImportError: the grader's module 'exercises'"),
    ],
)
def test_exits_and_imports_of_the_grader_in_a_cell_cost_only_that_cell(tmp_path, cell, expected):
    """sys.exit, KeyboardInterrupt and importing the grader are contained as that cell's error."""
    path = write(tmp_path, LN, cell, PLUS)
    results, report = run(path)
    assert results["d_ln_x2"].status == "passed" and results["d_x_plus_x2"].status == "passed"
    assert len(report.all_errors) == 1 and report.all_errors[0].startswith(expected), report.all_errors


def test_a_cell_that_ends_the_worker_process_is_left_out_and_the_rest_runs(tmp_path):
    """os._exit in a cell kills the worker: the notebook runs again without that cell."""
    path = write(tmp_path, LN, "import os\nos._exit(3)\n", PLUS)
    results, report = run(path)
    assert results["d_ln_x2"].status == "passed" and results["d_x_plus_x2"].status == "passed"
    assert report.all_errors == (
        "cell 2 ended the worker process (exit code 3); it was left out and the other cells ran without it",
    )


def test_a_function_that_kills_the_worker_costs_only_its_exercise(tmp_path):
    """After a graded function ends the worker, a fresh one runs the cells again for the rest."""
    crashes = "import os\n\ndef d_ln_x2(x):\n    os._exit(3)\n"
    path = write(tmp_path, crashes, "1 / 0", PLUS)
    results, report = run(path)
    assert results["d_ln_x2"].status == "error" and results["d_x_plus_x2"].status == "passed"
    assert len(report.all_errors) == 1 and report.all_errors[0].startswith("cell 2 raised ZeroDivisionError")


def test_a_cell_that_swallows_its_timeout_is_killed_and_left_out(tmp_path):
    """A loop that catches the alarm (and blocks SIGALRM) is killed by the grader; the rest is graded."""
    hostile = (
        "import signal\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\n"
        "while True:\n"
        "    try:\n"
        "        pass\n"
        "    except BaseException:\n"
        "        pass\n"
    )
    path = write(tmp_path, LN, hostile, PLUS)
    results, report = run(path)
    assert results["d_ln_x2"].status == "passed" and results["d_x_plus_x2"].status == "passed"
    assert report.all_errors == (STOPPED,)


def test_a_cell_cannot_fake_a_passing_grade_by_patching_numpy(tmp_path):
    """Patching numpy or builtins in a cell changes only the worker: a wrong answer still fails."""
    path = write(
        tmp_path,
        "import numpy as np\nnp.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n",
        "def d_ln_x2(x):\n    return 3 / x\n",
        PLUS,
    )
    results, _ = run(path)
    assert results["d_ln_x2"].status == "failed" and results["d_x_plus_x2"].status == "passed"


# -- the command line -----------------------------------------------------------------------


def test_the_cli_grades_a_notebook_and_says_what_the_api_returns(tmp_path):
    """`grade homework.ipynb` prints the report grade() returns, and exits with its code."""
    path = write(tmp_path, new_markdown_cell("# hw"), "%matplotlib inline\n" + LN, "1 / 0\n", PLUS)
    result = invoke(str(path), *FAST, "--seed", "5")
    api = grade(str(path), Options(seed=5, examples=10, only=PAIR, jobs=1))
    assert result.exit_code == 0, result.output
    assert result.output == render_text(api, width=80)  # not a terminal: 80 columns
    assert "error: cell 3 (code cell 2) raised ZeroDivisionError: division by zero (line 1)" in result.output
    assert "skipped 1 IPython-only line (not run): cell 2 `%matplotlib inline`" in result.output


def test_the_same_notebook_and_seed_give_byte_identical_json(tmp_path):
    """Twice the same notebook and seed through the CLI: the same JSON, byte for byte."""
    path = write(tmp_path, "%pylab\n" + LN, "x = [1][3]\n", PLUS)
    args = [str(path), *FAST, "--seed", "11", "--format", "json"]
    first, second = invoke(*args), invoke(*args)
    assert first.exit_code == 0 and first.output == second.output
    assert json.loads(first.output)["notebook"]["cell_errors"][0]["type"] == "IndexError"


def test_the_report_of_a_notebook_does_not_depend_on_the_number_of_jobs(tmp_path):
    """Each worker runs the cells; the report is the same with one grader process or two."""
    path = write(tmp_path, "%load_ext autoreload\n" + LN, "x = {}['k']", PLUS)
    reports = [grade(str(path), Options(examples=10, only=PAIR, jobs=jobs, limits=LIMITS)) for jobs in (1, 2)]
    assert render_json(reports[0]) == render_json(reports[1])
    assert reports[0].all_errors[0].startswith("cell 2 raised KeyError: 'k' (line 1)")


def test_a_notebook_that_is_not_json_exits_two_with_a_clear_message(tmp_path):
    """A cut-off notebook cannot be read: exit 2, and the message says why and what to do."""
    path = tmp_path / "homework.ipynb"
    path.write_text('{"cells": [{"cell_type": "code", "source": "def f(', encoding="utf-8")
    result = invoke(str(path), *FAST)
    assert result.exit_code == 2
    assert "cannot be read as a notebook: it is not valid JSON" in result.output
    assert "Save it again from Jupyter" in result.output


def test_the_example_notebook_passes_its_exercises_and_reports_its_exploration_cell():
    """examples/homework.ipynb: every exercise it defines passes; its exploration cell raises."""
    path = EXAMPLES / "homework.ipynb"
    report = grade(str(path), Options(examples=10, jobs=1, only=("scalar",)))
    attempted = report.attempted
    assert attempted and all(e.status == "passed" for e in attempted)
    assert len(report.all_errors) == 1 and " raised " in report.all_errors[0]
    assert report.notebook is not None and report.notebook.skipped


# -- batch ----------------------------------------------------------------------------------


def test_batch_finds_notebooks_as_files_and_in_student_folders(tmp_path):
    """A class folder may hold .ipynb files, or student folders with one notebook each."""
    write(tmp_path, LN, name="ada.ipynb")
    (tmp_path / "bob").mkdir()
    write(tmp_path / "bob", LN, name="hw.ipynb")
    (tmp_path / "bob" / ".ipynb_checkpoints").mkdir()
    write(tmp_path / "bob" / ".ipynb_checkpoints", LN, name="hw-checkpoint.ipynb")
    (tmp_path / "cy").mkdir()
    write(tmp_path / "cy", LN, name="hw.ipynb")
    (tmp_path / "cy" / "hw.py").write_text(LN)
    found = {s.student: s for s in discover(str(tmp_path))}
    assert found["ada"].path == str(tmp_path / "ada.ipynb")
    assert found["bob"].path == str(tmp_path / "bob" / "hw.ipynb")
    assert found["cy"].path is None and "2 .py and .ipynb files" in found["cy"].problem
