"""Every output format is checked against its consumer's schema or a real parser."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import cli
from grader.grading import Options, grade
from grader.render.github import render_github
from grader.render.gradescope import render_gradescope
from grader.render.json import render_json
from grader.render.junit import render_junit
from grader.render.markdown import render_markdown
from grader.render.text import render_text
from grader.report import VISIBILITIES, Counterexample, ExerciseResult, IdentityResult, Report

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ONLY = ("d_sin_x2", "neuron_grad", "layer_forward")
FAST = Options(examples=10, only=ONLY, jobs=1)


@pytest.fixture(scope="module")
def mixed():
    """A report with a failed, a missing and (from mistakes.py) an attempted exercise."""
    return grade(str(EXAMPLES / "mistakes.py"), FAST)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    path = tmp_path_factory.mktemp("broken") / "broken.py"
    path.write_text("def d_sin_x2(x) return 1\n")
    return grade(str(path), FAST)


def test_gradescope_results_have_every_field_with_its_type(mixed):
    """results.json has Gradescope's top-level and per-test fields, with the right types."""
    data = json.loads(render_gradescope(mixed, visibility={"neuron_grad": "hidden"}))
    assert isinstance(data["score"], float) and data["score"] == mixed.score
    assert isinstance(data["output"], str) and data["visibility"] in VISIBILITIES
    assert len(data["tests"]) == len(ONLY)
    for test, result in zip(data["tests"], mixed.exercises, strict=True):
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility", "tags"}
        assert isinstance(test["name"], str) and result.name in test["name"]
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        assert test["status"] in ("passed", "failed")
        assert (test["status"] == "passed") == (result.status == "passed")
        assert isinstance(test["output"], str) and "\r" not in test["output"]
        assert test["visibility"] in VISIBILITIES
        assert all(isinstance(tag, str) for tag in test["tags"])
    hidden = next(t for t in data["tests"] if t["name"].startswith("neuron_grad"))
    assert hidden["visibility"] == "hidden"
    assert "smallest failing input" in hidden["output"] and "hint:" in hidden["output"]
    assert "missing-mask" in hidden["tags"]


def test_junit_xml_parses_and_has_the_structure_consumers_need(mixed):
    """JUnit XML: a suite per set, a case per identity, failures with counterexamples, skipped missing."""
    root = ET.fromstring(render_junit(mixed))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == list(dict.fromkeys(e.set for e in mixed.exercises))
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", -1)) == len(cases)
        assert int(suite.get("failures", -1)) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("skipped", -1)) == sum(1 for c in cases if c.find("skipped") is not None)
        assert all(c.get("name") and c.get("classname") for c in cases)
    neuron_grad = next(e for e in mixed.exercises if e.name == "neuron_grad")
    cases = root.findall(".//testcase[@classname='matgrade.neuron.neuron_grad']")
    assert len(cases) == len(neuron_grad.identities)
    failure = next(c.find("failure") for c in cases if c.find("failure") is not None)
    assert failure.get("message") and failure.get("type") == "missing-mask"
    assert "smallest failing input" in failure.text
    missing = root.find(".//testcase[@classname='matgrade.neuron.layer_forward']")
    assert missing.find("skipped") is not None


def test_junit_xml_is_read_by_junitparser(mixed):
    """junitparser, a real JUnit consumer, counts the same failures and skips as the report."""
    junitparser = pytest.importorskip("junitparser")
    xml = junitparser.JUnitXml.fromstring(render_junit(mixed))
    failures = sum(
        1 for e in mixed.exercises for i in e.identities if i.status == "failed"
    )
    skipped = sum(1 for e in mixed.exercises if e.status == "missing")
    cases = [case for suite in xml for case in suite]
    assert sum(1 for c in cases if any(isinstance(r, junitparser.Failure) for r in c.result)) == failures
    assert sum(1 for c in cases if any(isinstance(r, junitparser.Skipped) for r in c.result)) == skipped


def test_an_unloadable_submission_is_an_error_in_every_format(broken):
    """A syntax error shows as error cases in JUnit, a failed results.json and a github 'error'."""
    root = ET.fromstring(render_junit(broken))
    assert int(root.get("errors")) == len(ONLY)
    assert "syntax error" in root.find(".//system-err").text
    assert json.loads(render_gradescope(broken))["score"] == 0
    decoded = json.loads(base64.b64decode(render_github(broken)))
    assert decoded["status"] == "error"


def test_github_result_is_base64_json_the_classroom_reporter_reads(mixed):
    """The runner result decodes to version, status, max_score and tests with name/status/score."""
    decoded = json.loads(base64.b64decode(render_github(mixed).strip(), validate=True))
    assert decoded["version"] == 1 and decoded["status"] == "fail"
    assert decoded["max_score"] == mixed.max_score
    assert sum(t["score"] for t in decoded["tests"]) == pytest.approx(mixed.score)
    for test in decoded["tests"]:
        assert test["status"] in ("pass", "fail", "error")
        assert isinstance(test["name"], str) and isinstance(test["message"], str)
        assert isinstance(test["test_code"], str) and isinstance(test["line_no"], int)


def test_markdown_summary_has_a_row_per_exercise_and_fenced_failures(mixed):
    """The Markdown summary has a score heading, one table row per exercise, fenced details."""
    text = render_markdown(mixed)
    assert text.startswith(f"## matgrade: {mixed.score:g}/{mixed.max_score:g}")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == len(ONLY)
    assert "```text" in text and "smallest failing input" in text


def test_several_formats_are_written_from_one_run_paired_by_position(tmp_path, mixed):
    """--format json -o r.json --format junit -o r.xml --format gradescope writes three reports."""
    args = [str(EXAMPLES / "mistakes.py"), "--examples", "10", "--jobs", "1"]
    for name in ONLY:
        args += ["--only", name]
    args += ["--format", "json", "-o", str(tmp_path / "r.json")]
    args += ["--format", "junit", "-o", str(tmp_path / "r.xml"), "--format", "gradescope"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert (tmp_path / "r.json").read_text() == render_json(mixed)
    assert (tmp_path / "r.xml").read_text() == render_junit(mixed)
    assert json.loads(result.output) == json.loads(render_gradescope(mixed))


def test_formats_without_outputs_for_all_but_one_are_a_usage_error():
    """Two formats with no --output cannot both go to the terminal: exit 2 with a message."""
    result = CliRunner().invoke(cli, ["x.py", "--format", "json", "--format", "junit"])
    assert result.exit_code == 2
    assert "only one report can go to the terminal" in result.output


# -- the text report -------------------------------------------------------------------------


def _failed_with(values: list[float], error: str = "") -> Report:
    """A report with one failed identity whose counterexample holds `values`."""
    example = Counterexample(inputs={"x": values}, expected=values, got=[-v for v in values])
    message = "derivative: " + ("mismatched elements " * 8).strip()
    identity = IdentityResult("matches the reference answer", "failed", message, "sign", example)
    result = ExerciseResult("jac_relu", "elementwise", "failed", 0.0, 1.0, (identity,), hint="Mind the sign.")
    return Report("work.py", 1, (result,), errors=(error,) if error else ())


def test_the_text_report_wraps_a_long_array_after_its_commas_and_keeps_every_number():
    """At width 60 a 40-number array is cut only after commas, continued inside its bracket."""
    values = [round(1 / (k + 3), 12) for k in range(40)]
    lines = render_text(_failed_with(values), width=60).splitlines()
    assert max(len(line) for line in lines) <= 60
    start = lines.index("      smallest failing input:") + 1
    assert lines[start].startswith("        x = [")
    block = [lines[start]]
    while lines[start + len(block)].startswith(" " * 13):  # continued under the bracket's inside
        block.append(lines[start + len(block)])
    assert " ".join(line.strip() for line in block)[len("x = ") :] == json.dumps(values)
    assert all(line.rstrip().endswith(",") for line in block[:-1])


def test_the_text_report_without_a_width_is_not_wrapped():
    """The API's default (no width) keeps each message, hint and value on one line."""
    values = [0.5] * 40
    text = render_text(_failed_with(values))
    assert f"        x = {json.dumps(values)}\n" in text
    assert "      derivative: " + "mismatched elements " * 7 + "mismatched elements\n" in text


def test_a_traceback_in_an_error_keeps_its_source_and_caret_lines():
    """Only an error's first line (prose) is wrapped; its source lines and carets are kept."""
    error = (
        "cell 4 (code cell 3) raised ZeroDivisionError: division by zero (line 3)\n"
        '  File "<cell 4>", line 3, in <module>\n'
        "    print(some_rather_long_variable_name, d_ln_x2(another_long_name))\n"
        "                                          ^^^^^^^^^^^^^^^^^^^^^^^^^^"
    )
    text = render_text(_failed_with([1.0], error), width=40)
    assert "error: cell 4 (code cell 3) raised\n" in text
    assert "\n".join(error.splitlines()[1:]) + "\n" in text


def test_the_text_report_of_an_unloadable_submission_shows_the_error_once(broken):
    """A syntax error: the error once, status `unloadable`, no row per exercise, no count."""
    text = render_text(broken, width=80)
    assert text.count("syntax error") == 1
    assert "ERR" not in text and "attempted" not in text
    assert text.split("\n\n")[-1].startswith("status: unloadable; ")
    assert json.loads(render_json(broken))["status"] == "unloadable"


def test_the_text_report_marks_identities_with_the_words_of_its_exercise_rows(mixed):
    """A failing identity is FAIL and, with --verbose, a passing one PASS: never `x` or `+`."""
    text = render_text(mixed, verbose=True)
    identities = [line for line in text.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    marked = [line for line in identities if line[2:6] in ("FAIL", "PASS", "ERR ", "SKIP")]
    assert {line[2:6] for line in marked} >= {"FAIL", "PASS"}
    assert not any(line.startswith(("  x ", "  + ")) for line in text.splitlines())
