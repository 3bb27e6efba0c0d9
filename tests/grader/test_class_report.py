"""The class report: a batch over the corpus, and every figure of its page against gradebook.csv.

One batch of 40+ students (50 when written), built from tests/corpus (the correct styles, the wrong answers of
seven exercises, a stub file, one whose functions raise, and three of our own: a `<script>` in a
file name and in the messages its code raises, and an invalid folder), is graded once for the
module.  Each test reads what the page shows (its `data-*` attributes and texts) and recomputes
it from gradebook.csv and the students' report.json files, never from grader.classreport.

The browser test (marked `browser`) opens the page in headless Chromium through the DevTools
protocol: no console error, the numbers in the rendered page equal the gradebook's, a student
link opens that student's page, a click on a header sorts; with MATGRADE_SCREENSHOT=1 it writes
docs/img/class-report.png.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import statistics
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.classreport import write_class_report
from grader.classreport.roster import StudentRecord, category_of
from grader.cli import cli
from tests.grader.browserkit import headless_chromium

pytestmark = pytest.mark.slow  # grades a class of 56 students

CORPUS = Path(__file__).parent.parent / "corpus"
EXERCISES = {
    "delta_hidden": 2,
    "mse_grad": 1,
    "jac_relu": 1,
    "d_ln_x2": 1,
    "d_sin_x2": 1,
    "neuron_grad": 2,
    "sigmoid_prime": 1,
}
ASSIGNMENT = (
    'title = "hw3"\nseed = "student"\nexamples = 10\ntimeout = 10\nexercise_timeout = 60\n'
    + "".join(f"\n[exercises.{name}]\npoints = {points}\n" for name, points in EXERCISES.items())
)
EVIL = "<script>alert(1)"  # a student's file name: `/` cannot be in one
EVIL_SOURCE = (
    "def d_sin_x2(x):\n    raise ValueError('<script>alert(2)</script> & <b>bold</b>')\n\n"
    "def sigmoid_prime(z):\n    raise RuntimeError('\"><img src=x onerror=alert(3)>')\n"
)


def class_size() -> int:
    """How many students make_class makes."""
    wrong = sum(len(list((CORPUS / "wrong").glob(f"{exercise}__*.py"))) for exercise in EXERCISES)
    return len(list(CORPUS.glob("correct_*.py"))) + 2 + wrong + 2


def make_class(folder: Path) -> None:
    """The correct styles, the wrong answers of EXERCISES, a stub, a raising file, EVIL, an invalid one."""
    folder.mkdir()
    for path in sorted(CORPUS.glob("correct_*.py")):
        shutil.copy(path, folder / path.name)
    for name in ("raising.py", "stub_and_misspelt.py"):
        shutil.copy(CORPUS / name, folder / name)
    for exercise in EXERCISES:
        for path in sorted((CORPUS / "wrong").glob(f"{exercise}__*.py")):
            shutil.copy(path, folder / path.name)
    (folder / f"{EVIL}.py").write_text(EVIL_SOURCE)
    (folder / "two_files").mkdir()
    (folder / "two_files" / "a.py").write_text("")
    (folder / "two_files" / "b.py").write_text("")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The output folder of one `grade batch` over the class, and what the command printed."""
    root = tmp_path_factory.mktemp("class")
    make_class(root / "subs")
    (root / "hw3.toml").write_text(ASSIGNMENT)
    out = root / "out"
    args = ["batch", str(root / "subs"), "--assignment", str(root / "hw3.toml"), "-o", str(out), "-j", "2"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1, result.output  # the invalid student
    return out, result.output


def gradebook(out: Path) -> list[dict[str, str]]:
    with open(out / "gradebook.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def reports(out: Path) -> dict[str, dict]:
    """Each graded student's report.json, by student name."""
    return {
        row["student"]: json.loads((out / row["folder"] / "report.json").read_text())
        for row in gradebook(out)
        if row["status"] in ("passed", "incomplete", "failed", "error", "unloadable")
    }


def page(out: Path) -> str:
    return (out / "class-report.html").read_text()


def sections(html: str) -> dict[str, str]:
    """Each exercise's section of the page, by exercise name."""
    found = re.findall(r'<section class="exercise"[^>]*data-exercise="([^"]+)">(.*?)</section>', html, re.S)
    return {unescape(name): body for name, body in found}


def test_the_class_has_more_than_forty_varied_students(graded):
    out, _ = graded
    rows = gradebook(out)
    assert len(rows) == class_size() >= 40
    assert {"passed", "failed", "error", "incomplete", "invalid"} <= {r["status"] for r in rows}


def test_the_glance_figures_equal_the_gradebooks(graded):
    out, _ = graded
    rows, html = gradebook(out), page(out)
    scores = [float(r["score"]) for r in rows]
    shown = dict(re.findall(r'data-figure="(\w+)" data-value="([^"]*)"', html))
    assert int(shown["students"]) == len(rows) == class_size()
    assert float(shown["mean"]) == pytest.approx(statistics.fmean(scores))
    assert float(shown["median"]) == pytest.approx(statistics.median(scores))
    submitted = sum(
        1 for report in reports(out).values() if any(e["status"] != "missing" for e in report["exercises"])
    )
    assert int(shown["submitted"]) == submitted
    top = max(float(r["max_score"]) for r in rows)
    assert top == sum(EXERCISES.values())
    bins = [0] * 10  # one bar per whole point, 0 to 9
    for score in scores:
        bins[int(score)] += 1
    drawn = [int(n) for _, n in sorted(re.findall(r'data-bin="(\d+)">(\d+)<', html), key=lambda b: int(b[0]))]
    assert drawn == bins and sum(drawn) == len(rows)


def test_each_exercises_figures_equal_the_gradebook_and_the_reports(graded):
    out, _ = graded
    rows, by_student, html = gradebook(out), reports(out), page(out)
    shown = sections(html)
    assert list(shown) == list(EXERCISES)
    for name, points in EXERCISES.items():
        body = shown[name]
        results = [e for r in by_student.values() for e in r["exercises"] if e["name"] == name]
        attempted = [e for e in results if e["status"] != "missing"]
        passed = [e for e in attempted if e["status"] == "passed"]
        # no partial credit: a pass is a full score in the gradebook
        assert len(passed) == sum(1 for r in rows if r[name] != "" and float(r[name]) == points)
        figure = dict(re.findall(r'data-k="(\w+)"[^>]*>([^<]*)<', body))
        assert int(figure["attempted"]) == len(attempted)
        assert int(figure["passed"]) == len(passed)
        cells = [float(r[name]) for r in rows if r[name] != ""]
        mean = float(re.search(r'data-k="mean" data-value="([^"]*)"', body).group(1))
        assert mean == pytest.approx(statistics.fmean(cells))
        rate = f"{100 * len(passed) / len(attempted):.0f}% ({len(passed)}/{len(attempted)})"
        assert rate in body
        counts: Counter[str] = Counter()
        for e in attempted:
            counts.update({i["diagnosis"] for i in e["identities"] if i["diagnosis"]})
        listed = re.findall(r'<tr data-mistake="([^"]+)">.*?<td class="num" data-k="count">(\d+)', body)
        assert {m: int(n) for m, n in listed} == dict(counts)
        assert [int(n) for _, n in listed] == sorted((int(n) for _, n in listed), reverse=True)
        for mistake, n in listed:
            share = f"{100 * int(n) / len(attempted):.0f}% of {len(attempted)}"
            assert share in body.split(f'data-mistake="{mistake}"')[1]


def test_every_named_mistake_shows_a_smallest_counterexample_with_expected_and_obtained(graded):
    out, _ = graded
    for name, body in sections(page(out)).items():
        for row in body.split("<tr data-mistake=")[1:]:
            assert "smallest counterexample" in row, name
            assert "<th>expected</th>" in row and "<th>obtained</th>" in row, name


def test_the_matrix_numbers_equal_the_reports(graded):
    out, _ = graded
    by_student, html = reports(out), page(out)
    matrix = html.split('<table class="matrix">')[1].split("</table>")[0]
    rows = re.findall(r"<tr><th><code>([^<]+)</code></th>(.*?)</tr>", matrix, re.S)
    assert [unescape(n) for n, _ in rows] == list(EXERCISES)
    heads = re.findall(r'<th class="num">([^<]+)</th>', matrix)
    for name, cells_html in rows:
        cells = re.findall(r'data-failed="(\d*)" data-checked="(\d+)"', cells_html)
        assert len(cells) == len(heads)
        for head, (failed, checked) in zip(heads, cells, strict=True):
            verdicts = []
            for report in by_student.values():
                for e in report["exercises"]:
                    if e["name"] != name or e["status"] == "missing":
                        continue
                    mine = [
                        i
                        for i in e["identities"]
                        if category_of(i["name"]) == head and i["status"] != "skipped"
                    ]
                    if mine or head == "runs":  # a report lists "runs without raising" only when it fails
                        verdicts.append(any(i["status"] in ("failed", "error") for i in mine))
            assert int(checked) == len(verdicts), (name, head)
            assert (int(failed) if failed else 0) == sum(verdicts), (name, head)
            if verdicts:  # the number is in the cell, never colour alone
                assert f"{sum(verdicts)}/{len(verdicts)}<br>" in cells_html
    assert "(K3)" not in heads and "K3" in heads and "finite differences" in heads


def test_the_student_table_has_every_row_of_the_gradebook_with_a_link_to_their_page(graded):
    out, _ = graded
    html = page(out)
    table = html.split('<table class="sortable" id="students">')[1].split("</table>")[0]
    shown = re.findall(
        r'<tr data-student="([^"]*)"><td data-sort="[^"]*">(.*?)</td>.*?data-sort="([^"]*)">', table
    )
    rows = gradebook(out)
    assert len(shown) == len(rows)
    for row, (name, first, _) in zip(rows, shown, strict=True):
        assert unescape(name) == row["student"]
        score = re.search(
            rf'data-student="{re.escape(name)}">.*?<td class="num" data-sort="([^"]+)">', table, re.S
        )
        assert float(score.group(1)) == float(row["score"])
        link = re.search(r'href="([^"]+)"', first)
        if row["status"] == "invalid":
            assert link is None
        else:
            assert link is not None and link.group(1) == f"{row['folder']}/report.html"
            assert (out / row["folder"] / "report.html").is_file()


def test_the_students_the_batch_could_not_grade_are_listed_with_why(graded):
    out, _ = graded
    broken = page(out).split('<table id="broken">')[1].split("</table>")[0]
    assert "two_files" in broken and "invalid" in broken


def test_the_settings_version_and_date_are_shown(graded):
    out, _ = graded
    html = page(out)
    from grader import __version__

    assert f"matgrade {__version__}, " in html and " UTC</p>" in html
    assert "<th>assignment</th><td>hw3</td>" in html and "per student" in html
    assert "<th>examples per identity</th><td>10</td>" in html


def test_a_script_in_a_file_name_or_a_message_never_becomes_markup(graded):
    out, _ = graded
    html = page(out)
    assert html.count("<script") == 1 and html.count("</script>") == 1  # our sorting script only
    assert "&lt;script&gt;alert(1)" in html
    row = next(r for r in gradebook(out) if r["student"] == EVIL)
    assert "/" not in row["folder"] and "<" not in row["folder"]
    own = (out / row["folder"] / "report.html").read_text()
    assert "<script" not in own and "<img" not in own and "<b>bold" not in own
    assert "&lt;script&gt;alert(2)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in own
    assert "&lt;img src=x onerror=alert(3)&gt;" in own
    with open(out / "mistakes.csv", newline="") as handle:
        mine = [r for r in csv.DictReader(handle) if r["student"] == EVIL]  # a CSV is data: kept as named
    assert {(r["exercise"], r["identity"], r["status"]) for r in mine} == {
        ("d_sin_x2", "runs without raising", "error"),
        ("sigmoid_prime", "runs without raising", "error"),
    }


def test_mistakes_csv_has_a_row_per_failing_identity_with_its_named_mistake(graded):
    out, _ = graded
    with open(out / "mistakes.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "student",
        "folder",
        "exercise",
        "identity",
        "kind",
        "status",
        "mistake",
        "message",
    ]
    expected = set()
    for student, report in reports(out).items():
        for e in report["exercises"]:
            for i in e["identities"]:
                if i["status"] in ("failed", "error"):
                    expected.add((student, e["name"], i["name"], i["status"], i["diagnosis"] or ""))
    got = {(r["student"], r["exercise"], r["identity"], r["status"], r["mistake"]) for r in rows}
    assert got == expected and len(rows) == len(expected)
    assert any(r["mistake"] == "missing-mask" and r["exercise"] == "neuron_grad" for r in rows)
    assert all(r["kind"] == category_of(r["identity"]) for r in rows)


def test_the_batch_summary_names_the_three_most_common_mistakes(graded):
    out, output = graded
    lines = output.splitlines()
    at = lines.index("most common mistakes:")
    top = lines[at + 1 : at + 4]
    assert len(top) == 3 and all(line.startswith("  ") for line in top)
    counts: Counter[tuple[str, str]] = Counter()
    for report in reports(out).values():
        for e in report["exercises"]:
            counts.update({(e["name"], i["diagnosis"]) for i in e["identities"] if i["diagnosis"]})
    most = max(counts.values())
    exercise, mistake = top[0].strip().split(" (")[0].split(": ")
    assert counts[(exercise, mistake)] == most
    assert f"({most} students, " in top[0]
    assert f"class report -> {out / 'class-report.html'}" in output


def test_grade_report_rebuilds_the_same_page_without_grading_anyone(graded):
    out, _ = graded
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/report.json")}
    old_page, old_csv = page(out), (out / "mistakes.csv").read_text()
    (out / "class-report.html").unlink()
    (out / "mistakes.csv").unlink()
    result = CliRunner().invoke(cli, ["report", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"class report -> {out / 'class-report.html'}" in result.output
    assert "most common mistakes:" in result.output
    undated = re.compile(r"matgrade [^,<]+, [^<]+</p>")
    assert undated.sub("", page(out)) == undated.sub("", old_page)
    assert (out / "mistakes.csv").read_text() == old_csv
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/report.json")} == before


def test_grade_report_on_a_folder_without_a_gradebook_exits_2_saying_so(tmp_path):
    result = CliRunner().invoke(cli, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "no gradebook in" in result.output and "grade batch" in result.output
    assert "Traceback" not in result.output


def test_a_report_that_cannot_be_read_leaves_the_students_gradebook_row(graded, tmp_path):
    out, _ = graded
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    row = next(r for r in gradebook(copy) if r["status"] == "failed")
    (copy / row["folder"] / "report.json").write_text("{not json")
    written = write_class_report(copy, date="today")
    assert row["student"] in written.roster.unreadable
    assert written.figures.students == class_size()
    assert f"{row['student']}" in page(copy).split("No readable report.json")[1]


def test_the_student_page_shows_counterexamples_as_tables(graded):
    out, _ = graded
    row = next(r for r in gradebook(out) if r["student"].startswith("neuron_grad__"))
    own = (out / row["folder"] / "report.html").read_text()
    assert own.startswith("<!DOCTYPE html>") and "prefers-color-scheme:dark" in own
    assert '<table class="counterexample">' in own
    assert "<th>expected</th>" in own and "<th>obtained</th>" in own
    assert f"score {float(row['score']):g}/{float(row['max_score']):g}" in own


# The README's screenshot is rewritten only when asked (MATGRADE_SCREENSHOT=1): a test run leaves
# the checkout as it was.
SCREENSHOT = Path(__file__).parent.parent.parent / "docs" / "img" / "class-report.png"

@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's) driven by Playwright, with a fresh profile; skipped without them."""
    yield from headless_chromium()


@pytest.mark.browser
def test_in_chromium_the_page_shows_the_gradebooks_numbers_links_and_sorts(graded, browser):
    """No console error nor request off disk; the figures read back; links open; headers sort."""
    out, _ = graded
    write_class_report(out, date="2026-12-06 22:00 UTC")  # a fixed date: the screenshot is stable
    rows = gradebook(out)
    tab = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    requests: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto((out / "class-report.html").as_uri())
    shot = SCREENSHOT if os.environ.get("MATGRADE_SCREENSHOT") == "1" else out / "class-report.png"
    tab.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    scores = [float(r["score"]) for r in rows]
    figure = {
        key: tab.locator(f'[data-figure="{key}"] b').inner_text()
        for key in ("students", "submitted", "mean", "median")
    }
    assert int(figure["students"]) == len(rows)
    top = f" / {sum(EXERCISES.values()):g}"  # shown to 3 significant digits
    assert figure["mean"] == f"{statistics.fmean(scores):.3g}{top}"
    assert figure["median"] == f"{statistics.median(scores):.3g}{top}"
    for name, points in EXERCISES.items():
        section = tab.locator(f'section[data-exercise="{name}"]')
        cells = [float(r[name]) for r in rows if r[name] != ""]
        mean = section.locator('[data-k="mean"]').inner_text()
        assert mean == f"{statistics.fmean(cells):.3g} / {points:g}"
        passed = sum(1 for r in rows if r[name] != "" and float(r[name]) == points)
        assert int(section.locator('[data-k="passed"]').inner_text()) == passed

    table = tab.locator("#students tbody tr")
    assert table.count() == len(rows)
    shown = {table.nth(i).locator("td").nth(0).inner_text(): table.nth(i) for i in range(table.count())}
    for row in rows:
        assert float(shown[row["student"]].locator("td").nth(2).inner_text()) == float(row["score"])

    # sorting: the score column, up then down; the student column as text
    def column(index: int) -> list[str]:
        return [table.nth(i).locator("td").nth(index).inner_text() for i in range(table.count())]

    tab.locator("#students th button").nth(2).click()
    ascending = [float(x) for x in column(2)]
    assert ascending == sorted(scores)
    assert tab.locator("#students th").nth(2).get_attribute("aria-sort") == "ascending"
    tab.locator("#students th button").nth(2).click()
    assert [float(x) for x in column(2)] == sorted(scores, reverse=True)
    tab.locator("#students th button").nth(3).click()
    failed = [int(x) for x in column(3)]
    assert failed == sorted(failed) and failed[0] < failed[-1]
    tab.locator("#students th button").nth(0).click()
    names = column(0)
    assert names == tab.evaluate("names => names.slice().sort((a, b) => a.localeCompare(b))", names)
    assert names != [r["student"] for r in rows]  # the order changed (the gradebook's is by code point)

    # a student's link opens their own page, whose score is the gradebook's
    row = next(r for r in rows if r["status"] == "failed")
    tab.locator(f'#students tr[data-student="{row["student"]}"] a').click()
    tab.wait_for_load_state()
    assert tab.url == (out / row["folder"] / "report.html").as_uri()
    assert (
        f"score {float(row['score']):g}/{float(row['max_score']):g}" in tab.locator("#summary").inner_text()
    )
    tab.go_back()

    # it prints (headless Chromium renders the print stylesheet to a PDF)
    assert tab.pdf(format="A4").startswith(b"%PDF")

    # dark mode follows the system's preference
    tab.emulate_media(color_scheme="dark")
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(13, 17, 23)"
    tab.close()
    assert errors == []
    assert requests and all(url.startswith("file://") for url in requests), requests


def test_a_student_named_like_a_file_of_the_class_report_gets_another_folder():
    from grader.batch.survey import folder_names

    folders = folder_names(["mistakes.csv", "class-report.html", "Mistakes"])
    assert folders["mistakes.csv"] not in ("mistakes.csv", "mistakes")
    assert folders["class-report.html"] != "class-report.html"
    assert folders["Mistakes"].lower() != "mistakes"


def record(student: str, score: float, status: str = "failed", **more) -> StudentRecord:
    return StudentRecord(student, status, score, 10.5, "", student, (("e", score),), **more)


def test_the_figures_of_a_small_hand_made_class():
    """An even count (the median is a mean of two), a maximum of 10.5 (ten bars), one mistake."""
    from grader.classreport import figures
    from grader.classreport.roster import Attempt, Failure, Roster
    from grader.report import Counterexample

    big = Failure(
        "bob", "e", "matches the reference answer", "failed", "sign", "m", Counterexample({"x": [1, 2]}, 1, 2)
    )
    small = Failure(
        "cy", "e", "matches the reference answer", "failed", "sign", "m", Counterexample({"x": [3]}, 1, 2)
    )
    roster = Roster(
        exercises=("e",),
        students=(
            record("al", 10.5, "passed", attempts=(Attempt("e", "passed", 10.5, 10.5),)),
            record(
                "bob",
                0.0,
                attempts=(Attempt("e", "failed", 0, 10.5, (("reference", True),)),),
                failures=(big,),
            ),
            record(
                "cy",
                0.0,
                attempts=(Attempt("e", "failed", 0, 10.5, (("reference", True),)),),
                failures=(small,),
            ),
            record("dee", 0.0, "crashed"),
        ),
    )
    found = figures(roster)
    assert (found.students, found.graded, found.submitted) == (4, 3, 3)
    assert found.mean == pytest.approx(10.5 / 4) and found.median == 0.0
    assert len(found.histogram) == 10 and found.histogram[-1].count == 1 and found.histogram[0].count == 3
    (exercise,) = found.exercises
    assert (exercise.attempted, exercise.passed, exercise.mean_score) == (3, 1, pytest.approx(3.5))
    (mistake,) = exercise.mistakes
    assert (mistake.name, mistake.count, mistake.share, mistake.example) == ("sign", 2, 2 / 3, small)
    assert [b.student for b in found.broken] == ["dee"]


def test_mistakes_csv_cells_cannot_run_as_spreadsheet_formulas():
    from grader.classreport.mistakes import mistakes_csv
    from grader.classreport.roster import Failure, Roster

    failure = Failure("=HYPERLINK(1)", "e", "runs without raising", "error", None, "@SUM(A1)\nmore", None)
    text = mistakes_csv(Roster(("e",), (record("=HYPERLINK(1)", 0, failures=(failure,)),)))
    row = next(csv.DictReader(text.splitlines()))
    assert row["student"] == "'=HYPERLINK(1)" and row["message"] == "'@SUM(A1)" and row["mistake"] == ""
