"""`check(fn)`: one exercise checked from a session or notebook, in the worker, like `grade`."""

from __future__ import annotations

import functools
import importlib.util
import linecache
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from grader import check
from grader.grading import Options, grade
from grader.render.json import render_json
from grader.selfcheck import CheckResult, function_source

FAST = {"examples": 10}


def module_from(tmp_path: Path, source: str, name: str = "student_work") -> ModuleType:
    """Import `source` as a module from a file, as a student's own .py module would be."""
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cell(source: str, number: int, namespace: dict) -> None:
    """Run `source` the way IPython runs a cell: its code registered in linecache first."""
    source = textwrap.dedent(source)
    filename = f"<ipython-input-{number}-0123456789ab>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), namespace)


GOOD = """
import numpy as np

def neuron_grad(w, b, x):
    h = float(w @ x + b > 0)
    return h * x, h
"""


def test_a_file_defined_function_is_checked_and_passes(tmp_path):
    """A correct function from a module passes: status, score, and the text report say so."""
    module = module_from(tmp_path, GOOD)
    result = check(module.neuron_grad, **FAST)
    assert isinstance(result, CheckResult)
    assert result.passed and result.status == "passed"
    assert result.score == result.max_score == 1
    assert "PASS  neuron_grad" in str(result) and repr(result) == str(result)


def test_a_cell_defined_function_is_rebuilt_with_its_imports_helpers_and_constants():
    """A function defined in IPython-registered cells is sent with `import numpy as np`, the
    helpers it calls (recursively) and its constants, and graded."""
    namespace: dict = {"__name__": "__main__"}
    cell("import functools\nimport numpy as np\nTHRESHOLD = 0.0\nPAIR = (1, 2.5)\n", 1, namespace)
    cell(
        """
        @functools.lru_cache(maxsize=None)
        def step(z, threshold=THRESHOLD):
            return 1.0 if z > threshold else 0.0

        def mask(w: np.ndarray, b: float, x: Table) -> float:
            return step(float(np.dot(w, x)) + b)
        """,
        2,
        namespace,
    )
    cell("def neuron_grad(w, b, x):\n    h = mask(w, b, x)\n    return h * x, h\n", 3, namespace)
    source = function_source(namespace["neuron_grad"])
    assert "import numpy as np" in source and "import functools" in source
    assert "THRESHOLD = 0.0" in source  # used only by a default value
    preamble = source.split("\ndef ")[0]
    assert "PAIR" not in preamble and "Table" not in preamble  # only what runs is sent
    assert "@functools.lru_cache(maxsize=None)\ndef step(z, threshold=THRESHOLD):" in source
    assert "def mask(w: np.ndarray" in source
    result = check(namespace["neuron_grad"], **FAST)
    assert result.passed, str(result)


def test_a_wrong_answer_fails_with_the_same_report_as_grade(tmp_path):
    """check(fn) reports each identity, the counterexample, diagnosis and hint exactly as
    `grade FILE --only NAME` does for a file with the same function."""
    source = """
    import numpy as np

    def neuron_grad(w, b, x):
        return x.copy(), 1.0
    """
    module = module_from(tmp_path, source)
    result = check(module.neuron_grad, seed=3, **FAST)
    assert not result.passed and result.status == "failed"
    assert result.score == 0  # no partial credit by default
    api = grade(
        str(tmp_path / "student_work.py"), Options(seed=3, examples=10, only=("neuron_grad",), jobs=1)
    )
    assert result.report.exercises == api.exercises
    text = str(result)
    assert "[missing-mask]" in text and "smallest failing input" in text and "hint:" in text


def test_the_same_function_and_seed_give_the_same_report(tmp_path):
    """Determinism: two checks with one seed give byte-identical JSON reports."""
    module = module_from(tmp_path, "def d_ln_x2(x):\n    return 1 / x\n")
    one = check(module.d_ln_x2, seed=11, **FAST)
    two = check(module.d_ln_x2, seed=11, **FAST)
    assert render_json(one.report) == render_json(two.report)
    assert one.status == "failed"


def test_the_function_runs_in_the_worker_not_in_the_callers_process(tmp_path):
    """A function that exits the process ends only the worker: the caller gets an error result."""
    module = module_from(tmp_path, "import os\n\ndef d_ln_x2(x):\n    os._exit(3)\n")
    result = check(module.d_ln_x2, **FAST)
    assert result.status == "error"
    assert not result.passed


def test_another_name_can_be_checked_as_an_exercise(tmp_path):
    """check(fn, "name") checks a function under the exercise's name."""
    module = module_from(tmp_path, "def attempt(x):\n    return 2 / x\n")
    result = check(module.attempt, "d_ln_x2", **FAST)
    assert result.passed and result.exercise == "d_ln_x2"
    assert result.source.rstrip().endswith("d_ln_x2 = attempt")


def test_a_stub_is_missing_not_an_error(tmp_path):
    """A function that raises NotImplementedError is reported missing, as in `grade`."""
    module = module_from(tmp_path, "def grad_sum(x):\n    raise NotImplementedError\n")
    assert check(module.grad_sum, **FAST).status == "missing"


@pytest.mark.parametrize(
    ("make", "exercise", "says"),
    [
        (lambda ns: ns["lam"], "d_ln_x2", "lambda"),
        (lambda ns: ns["from_exec"], "d_ln_x2", "cannot be found"),
        (lambda ns: ns["uses_array"], "d_ln_x2", "global `TABLE`"),
        (lambda ns: ns["outer"](), None, "inside another function"),
        (lambda ns: ns["nueron_grad"], None, "did you mean `neuron_grad`"),
        (lambda ns: ns["nueron_grad"], "nueron_grad", "did you mean 'neuron_grad'"),
        (lambda ns: len, "d_ln_x2", "defined with def"),
    ],
)
def test_what_cannot_be_sent_is_refused_with_a_message(make, exercise, says):
    """Lambdas, functions without source, unsendable globals, closures, unknown names and
    builtins are not checked; the result says why and what to do, without a traceback."""
    import numpy as np

    namespace: dict = {"__name__": "__main__", "np": np, "TABLE": np.ones(3)}
    namespace["lam"] = lambda x: 2 / x
    exec("def from_exec(x):\n    return 2 / x\n", namespace)
    cell(
        """
        def uses_array(x):
            return TABLE.sum() * x

        def outer():
            k = 2
            def d_ln_x2(x):
                return k / x
            return d_ln_x2

        def nueron_grad(w, b, x):
            return x, 1.0
        """,
        7,
        namespace,
    )
    result = check(make(namespace), exercise, **FAST)
    assert not result.passed and result.status == "error"
    assert says in str(result)
    assert "not checked" in str(result) and "Traceback" not in str(result)


def test_the_html_view_is_a_table_per_identity_with_everything_escaped(tmp_path):
    """_repr_html_ shows each identity's status in a table and escapes the student's text."""
    source = """
    def d_ln_x2(x):
        if x < 0:
            raise ValueError("<script>alert('x')</script>")
        return 2 / x
    """
    module = module_from(tmp_path, source)
    html = check(module.d_ln_x2, **FAST)._repr_html_()
    assert "<table" in html and "runs without raising" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    failed = check(module_from(tmp_path, "def d_ln_x2(x):\n    return 1 / x\n", "other").d_ln_x2, **FAST)
    html = failed._repr_html_()
    assert html.count("<tr>") == 1 + len(failed.report.exercises[0].identities)
    assert "smallest failing input" in html and "hint:" in html


def test_check_is_the_self_check_whatever_was_imported_first():
    """`from grader import check` is the self-check function whether or not grading was
    imported first; `import grader` loads no numpy."""
    probe = """
import sys
import grader
assert "numpy" not in sys.modules
{first}
from grader import check
import grader.selfcheck
assert check is grader.selfcheck.check, type(check)
print("ok")
"""
    for first in ("", "import grader.grading; import grader.checking.checker"):
        out = subprocess.run(
            [sys.executable, "-c", probe.format(first=first)], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "ok"


def test_a_traceback_names_the_students_own_file_and_lines(tmp_path):
    """The frames of a function that raises point at the lines of the student's file (and
    cell), not at the source check() composed for the worker."""
    source = "import numpy as np\n\ndef helper(x):\n    return x[len(x)]\n\n"
    source += "def grad_sum(x):\n    return helper(x)\n"
    module = module_from(tmp_path, source)
    result = check(module.grad_sum, **FAST)
    assert result.status == "error"
    text = str(result)
    path = str(tmp_path / "student_work.py")
    assert f'File "{path}", line 7, in grad_sum' in text
    assert f'File "{path}", line 4, in helper' in text
    assert "<check>" not in text


def test_functions_from_the_students_other_files_are_sent_but_their_modules_are_refused(tmp_path):
    """A function imported from the student's own file is sent as source (the worker could
    not import the file); using the module object itself is refused with a message."""
    helpers = module_from(tmp_path, "def twice(v):\n    return 2 * v\n", "my_helpers")
    namespace: dict = {"__name__": "__main__", "twice": helpers.twice, "my_helpers": helpers}
    cell(
        "def d_ln_x2(x):\n    return twice(1 / x)\n\n"
        "def d_x_plus_x2(x):\n    return 1 + my_helpers.twice(x)\n",
        9,
        namespace,
    )
    sent = check(namespace["d_ln_x2"], **FAST)
    assert sent.passed and "def twice(v):" in sent.source
    refused = check(namespace["d_x_plus_x2"], **FAST)
    assert refused.status == "error" and "your own module `my_helpers`" in str(refused)


def not_checked(result: CheckResult, says: str) -> None:
    """`result` is a refusal: an error, not graded, whose text says `says` without a traceback."""
    assert isinstance(result, CheckResult)
    assert not result.passed and result.status == "error" and result.score == 0
    assert not result.report.loaded
    text = str(result)
    assert "not checked" in text and says in text, text
    assert "Traceback" not in text


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"examples": 0}, "examples must be at least 1, not 0"),
        ({"examples": -5}, "examples must be at least 1, not -5"),
        ({"examples": 2.5}, "examples must be a whole number of at least 1, not 2.5"),
        ({"examples": "10"}, "examples must be a whole number of at least 1, not '10'"),
        ({"examples": True}, "examples must be a whole number of at least 1, not True"),
        ({"seed": "7"}, "seed must be a whole number, not '7'"),
        ({"seed": 1.5}, "seed must be a whole number, not 1.5"),
        ({"timeout": 0}, "timeout must be a number of seconds of at least 0.01"),
        ({"timeout": -1.0}, "timeout must be a number of seconds of at least 0.01"),
        ({"timeout": float("nan")}, "not nan"),
        ({"timeout": float("inf")}, "not inf"),
        ({"timeout": "2"}, "not '2'"),
        ({"timeout": False}, "not False"),
    ],
)
def test_a_bad_option_is_a_result_that_is_not_checked(tmp_path, options, says):
    """examples, seed and timeout out of range or of the wrong type give a not-checked result
    that names the option, the value and an example of a right call; nothing raises."""
    module = module_from(tmp_path, GOOD)
    result = check(module.neuron_grad, **options)
    not_checked(result, says)
    assert "check(neuron_grad, seed=7, examples=200, timeout=2.0)" in str(result)
    assert result.exercise == "neuron_grad" and result.report.exercises[0].name == "neuron_grad"


def test_a_usage_error_of_the_library_is_a_result_that_is_not_checked(tmp_path, monkeypatch):
    """A bound the grading library enforces (its UsageError, such as a largest number of
    examples) comes back as a not-checked result with the library's words, not as an exception."""
    import grader.grading
    from grader.errors import UsageError

    def refuse(submission, options):
        raise UsageError("--examples must be at most 10000")

    monkeypatch.setattr(grader.grading, "grade_submission", refuse)
    module = module_from(tmp_path, GOOD)
    result = check(module.neuron_grad, examples=10**9)
    not_checked(result, "--examples must be at most 10000")
    assert "bounded as `grade`'s options" in str(result)


class Net:
    """A class where a function is expected."""

    def __call__(self, w, b, x):
        return x, 1.0


@pytest.mark.parametrize(
    ("function", "exercise", "says"),
    [
        (3, None, "not an int"),
        (None, "neuron_grad", "not None"),
        ("neuron_grad", None, "not a str"),
        (Net, "neuron_grad", "not the class `Net`"),
        (Net(), "neuron_grad", "not a Net"),
        (print, "neuron_grad", "not the built-in `print`"),
        ((lambda: None).__call__, "neuron_grad", "not a method-wrapper"),
        (functools.partial(max, 0), "d_ln_x2", "not a partial"),
    ],
)
def test_what_is_not_a_function_is_a_result_that_is_not_checked(function, exercise, says):
    """A number, None, a string, a class, an instance, a builtin or a partial is refused with
    what it is and how to pass a function instead; nothing raises."""
    result = check(function, exercise, **FAST)
    not_checked(result, says)
    assert "defined with def" in str(result)


@pytest.mark.parametrize(
    ("exercise", "says"),
    [
        (42, "the exercise must be given by its name, a string"),
        (("neuron_grad",), "the exercise must be given by its name, a string"),
        ("", "no exercise named ''"),
        ("no_such_exercise", "no exercise named 'no_such_exercise'"),
        ("neuron_gard", "did you mean 'neuron_grad'"),
    ],
)
def test_an_unknown_or_malformed_exercise_name_is_a_result_that_is_not_checked(tmp_path, exercise, says):
    """An exercise that is not a string, or names no exercise, is refused with `grade list`
    as the place to look; nothing raises."""
    module = module_from(tmp_path, GOOD)
    result = check(module.neuron_grad, exercise, **FAST)
    not_checked(result, says)
    assert "grade list" in str(result)
