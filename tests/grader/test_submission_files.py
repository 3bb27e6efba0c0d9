"""Submissions are regular files, never links found in a folder; names never become paths or formulas."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import reference
from grader.assignment import parse_assignment
from grader.batch import grade_batch
from grader.batch.gradebook import Row, cell, write_gradebook
from grader.batch.student import fingerprint, grade_one
from grader.batch.survey import MAX_FOLDER, RESERVED, folder_name, folder_names, survey
from grader.cli import cli
from grader.errors import SubmissionError
from grader.grading import Options
from grader.submission.source import read_submission

CORRECT = "import math\n\ndef d_sin_x2(x):\n    return 2 * x * math.cos(x ** 2)\n"
WRONG = "import math\n\ndef d_sin_x2(x):\n    return math.cos(x ** 2)\n"
SECRET = "TOP-SECRET-HASH-7f3a"  # a syntax error: the report would quote its line
ONE = parse_assignment({"examples": 10, "exercises": {"d_sin_x2": {"points": 2}}})
SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def class_folder(tmp_path: Path, *names: str) -> Path:
    """TMP_PATH/subs holding NAME.py, a right answer, for each of `names`."""
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in names:
        (subs / f"{name}.py").write_text(CORRECT)
    return subs


def read_gradebook(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def every_output(out: Path) -> str:
    """Everything the batch wrote, as one text."""
    return "\n".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())


# --- reading one file -------------------------------------------------------------------


def test_a_link_inside_the_folder_is_refused_with_what_to_do(tmp_path):
    """A submission found in a folder that is a symbolic link is refused, naming the link and the fix."""
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "hw.py").write_text(CORRECT)
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "hw.py").symlink_to("../bob/hw.py")
    with pytest.raises(SubmissionError) as caught:
        read_submission(str(tmp_path / "alice" / "hw.py"), inside=str(tmp_path))
    message = str(caught.value)
    assert "is a symbolic link (to ../bob/hw.py)" in message
    assert "Submit the file itself" in message


def test_a_file_reached_through_a_linked_folder_is_refused(tmp_path):
    """A student folder that is a link to another's folder is refused though the file is regular."""
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "hw.py").write_text(CORRECT)
    (tmp_path / "carol").symlink_to("bob")
    with pytest.raises(SubmissionError, match=r"lies in .*carol, a symbolic link"):
        read_submission(str(tmp_path / "carol" / "hw.py"), inside=str(tmp_path))


def test_a_path_outside_the_folder_is_refused(tmp_path):
    """`inside` confines: a path that climbs out of the submissions folder is not read."""
    (tmp_path / "subs").mkdir()
    (tmp_path / "other.py").write_text(CORRECT)
    with pytest.raises(SubmissionError, match="is not inside"):
        read_submission(str(tmp_path / "subs" / ".." / "other.py"), inside=str(tmp_path / "subs"))


def test_a_regular_file_inside_the_folder_is_read_as_before(tmp_path):
    """The confined reader reads a regular file, notebooks too."""
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "hw.py").write_text(CORRECT)
    assert read_submission(str(tmp_path / "ann" / "hw.py"), inside=str(tmp_path)).source == CORRECT
    cells = [{"cell_type": "code", "source": CORRECT, "metadata": {}, "outputs": [], "execution_count": None}]
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
    (tmp_path / "ann.ipynb").write_text(json.dumps(notebook))
    read = read_submission(str(tmp_path / "ann.ipynb"), inside=str(tmp_path))
    assert read.notebook is not None and read.notebook.cells[0].source.strip() == CORRECT.strip()


def test_a_linked_notebook_inside_the_folder_is_refused(tmp_path):
    """Notebooks are read by the same reader: a linked .ipynb is refused too."""
    (tmp_path / "real.json").write_text("{}")
    (tmp_path / "ann.ipynb").symlink_to(tmp_path / "real.json")
    with pytest.raises(SubmissionError, match="symbolic link"):
        read_submission(str(tmp_path / "ann.ipynb"), inside=str(tmp_path))


def test_a_fifo_inside_the_folder_is_refused_without_opening_it(tmp_path):
    """A FIFO named hw.py is refused at once: no open that waits for a writer."""
    os.mkfifo(tmp_path / "hw.py")
    with pytest.raises(SubmissionError, match="not a regular file"):
        read_submission(str(tmp_path / "hw.py"), inside=str(tmp_path))
    with pytest.raises(SubmissionError, match="not a regular file"):
        read_submission(str(tmp_path / "hw.py"))


def test_a_link_typed_on_the_command_line_is_followed_and_graded(tmp_path):
    """`grade LINK`: the person grading chose the link; it is followed (documented in the README)."""
    (tmp_path / "real.py").write_text(CORRECT)
    (tmp_path / "mine.py").symlink_to(tmp_path / "real.py")
    assert read_submission(str(tmp_path / "mine.py")).source == CORRECT
    result = CliRunner().invoke(
        cli, [str(tmp_path / "mine.py"), "--only", "d_sin_x2", "--examples", "5", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["status"] == "passed"


def test_the_batch_grader_refuses_a_link_that_appears_after_the_survey(tmp_path):
    """A file swapped for a link between the survey and grading is unloadable, not followed."""
    (tmp_path / "bob.py").write_text(CORRECT)
    (tmp_path / "alice.py").symlink_to(tmp_path / "bob.py")
    options = Options(examples=5, only=("d_sin_x2",), jobs=1)
    report = grade_one(str(tmp_path / "alice.py"), options, inside=str(tmp_path))
    assert not report.loaded and report.score == 0
    assert "symbolic link" in report.errors[0]
    with pytest.raises(SubmissionError, match="symbolic link"):
        fingerprint("alice", str(tmp_path / "alice.py"), str(tmp_path), options, (), ONE)


# --- links in a batch -----------------------------------------------------------------------


def test_linked_submissions_in_a_batch_are_invalid_and_read_nothing(tmp_path):
    """Links to a classmate, the reference, a root-only file, a folder: each student invalid, 0 points."""
    subs = tmp_path / "subs"
    (subs / "bob").mkdir(parents=True)
    (subs / "bob" / "hw.py").write_text(CORRECT)
    (subs / "alice").mkdir()
    (subs / "alice" / "hw.py").symlink_to("../bob/hw.py")  # the classmate's file
    (subs / "carol.py").symlink_to(Path(reference.__file__).parent / "elementwise.py")  # the reference
    secret = tmp_path / "secret.py"
    secret.write_text(f"root:$6${SECRET}:19000:0:99999:7:::\n")
    secret.chmod(0o600)
    (subs / "dave.py").symlink_to(secret)  # a file only root may read
    (subs / "erin").symlink_to("bob")  # a whole folder
    cells = [{"cell_type": "code", "source": CORRECT, "metadata": {}, "outputs": [], "execution_count": None}]
    (tmp_path / "nb.ipynb").write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})
    )
    (subs / "fay.ipynb").symlink_to(tmp_path / "nb.ipynb")  # a notebook
    out = tmp_path / "out"
    result = grade_batch(str(subs), str(out), ONE, jobs=2)
    rows = {row.student: row for row in result.rows}
    assert set(rows) == {"alice", "bob", "carol", "dave", "erin", "fay"}
    assert (rows["bob"].status, rows["bob"].score) == ("passed", 2)
    for student in ("alice", "carol", "dave", "erin", "fay"):
        assert (rows[student].status, rows[student].score) == ("invalid", 0), student
        assert "symbolic link" in rows[student].message
        assert not (out / student).exists()
    assert result.exit_code == 1
    assert SECRET not in every_output(out)
    book = read_gradebook(out / "gradebook.csv")
    assert {r["student"]: r["status"] for r in book}["alice"] == "invalid"


def test_a_link_beside_nothing_else_is_reported_not_dropped(tmp_path):
    """A dangling link named like a submission is still a student, invalid, with the reason."""
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "ann.py").write_text(CORRECT)
    (subs / "gus.py").symlink_to(tmp_path / "nowhere.py")
    (subs / "notes.txt").symlink_to(tmp_path / "nowhere.txt")
    found = survey(str(subs))
    gus = next(s for s in found.submissions if s.student == "gus")
    assert gus.path is None and "symbolic link" in gus.problem
    assert [(i.name, i.reason) for i in found.ignored] == [
        ("notes.txt", "a symbolic link (links are not followed)")
    ]


# --- names ----------------------------------------------------------------------------------


def test_folder_names_are_safe_bounded_and_keep_safe_names():
    """ASCII letters, digits and -_. only; no leading dot or dash; bounded; a safe name is kept."""
    assert folder_name("s01") == "s01"
    assert folder_name("alice.smith-2") == "alice.smith-2"
    assert folder_name("José Núñez") == "Jose_Nunez"
    assert folder_name("..hidden") == "hidden"
    assert folder_name("-cmd") == "cmd"
    assert folder_name('=HYPERLINK("http://x")') == "HYPERLINK_http_x_"
    assert folder_name("王小明") == "student"
    assert folder_name("CON") == "CON_"
    assert len(folder_name("a" * 500)) == MAX_FOLDER
    for name in ("\x1b[31mred", "a/../b", "..", "x\ny", "@SUM(A1)", "+1", " "):
        made = folder_name(name)
        assert made and set(made) <= SAFE and made[0] not in ".-", name


def test_folder_names_are_unique_ignoring_case_and_never_reserved():
    """Clashes get -2, -3 in name order, case ignored; the gradebook's own names are never used."""
    folders = folder_names(
        ["alice", "Alice", "José", "Jose", "gradebook.csv", "GRADEBOOK.CSV", "a" * 80, "a" * 90]
    )
    assert folders["Alice"] == "Alice" and folders["alice"] == "alice-2"
    assert folders["Jose"] == "Jose" and folders["José"] == "Jose-2"
    assert folders["GRADEBOOK.CSV"] == "GRADEBOOK.CSV-2" and folders["gradebook.csv"] == "gradebook.csv-3"
    assert folders["a" * 80] == "a" * MAX_FOLDER and folders["a" * 90] == "a" * (MAX_FOLDER - 2) + "-2"
    assert len({f.lower() for f in folders.values()}) == len(folders)
    assert not {f.lower() for f in folders.values()} & RESERVED


def test_a_submission_named_like_the_gradebook_costs_nobody_their_grade(tmp_path):
    """`gradebook.csv.py` and names that are formulas: the batch finishes, each in a safe folder."""
    names = ["gradebook.csv", '=HYPERLINK("evil")', "+1", "@SUM(A1)", "-cmd", "José"]
    subs = class_folder(tmp_path, *names)
    (subs / "wrong.py").write_text(WRONG)
    out = tmp_path / "out"
    result = grade_batch(str(subs), str(out), ONE, jobs=2)
    assert result.exit_code == 0
    assert (out / "gradebook.csv").is_file()
    rows = read_gradebook(out / "gradebook.csv")
    shown = {r["student"]: r for r in rows}
    assert set(shown) == {
        "gradebook.csv",
        '\'=HYPERLINK("evil")',
        "'+1",
        "'@SUM(A1)",
        "'-cmd",
        "José",
        "wrong",
    }
    assert shown["gradebook.csv"]["folder"] == "gradebook.csv-2"
    assert shown["'-cmd"]["folder"] == "cmd"
    for row in rows:
        folder = row["folder"]
        assert set(folder) <= SAFE and not folder.startswith((".", "-"))
        report = json.loads((out / folder / "report.json").read_text())
        assert report["score"] == float(row["score"])
        assert row["status"] == ("failed" if row["student"] == "wrong" else "passed")
    assert {row.student: row.folder for row in result.rows}["+1"] == "1"


def test_a_rerun_finds_each_students_stamp_in_their_folder(tmp_path):
    """Folders depend only on the names: a second run grades nobody again."""
    subs = class_folder(tmp_path, "Ann", "ann", "@x")
    out = tmp_path / "out"
    grade_batch(str(subs), str(out), ONE, jobs=2)
    again = grade_batch(str(subs), str(out), ONE, jobs=2)
    assert all(row.reused for row in again.rows)
    assert sorted(row.folder for row in again.rows) == ["Ann", "ann-2", "x"]


# --- gradebook cells --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-cmd", "'-cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("alice", "alice"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_text_cell_that_a_spreadsheet_would_run_gets_a_quote(text, written):
    """OWASP's rule: = + - @ tab CR at the start of a text cell get a leading single quote."""
    assert cell(text) == written


def test_the_gradebook_neutralises_text_cells_and_keeps_numbers_numbers(tmp_path):
    """Student, status, message and folder are neutralised; a negative score stays -1.5."""
    rows = [
        Row(
            '=HYPERLINK("http://x")',
            "failed",
            -1.5,
            2.0,
            (("d_sin_x2", -1.5),),
            "=cmd|' /C calc'!A0",
            folder="x",
        ),
        Row("@SUM(A1)", "passed", 2.0, 2.0, (("d_sin_x2", 2.0),), "+1", folder="SUM_A1"),
    ]
    path = tmp_path / "gradebook.csv"
    write_gradebook(path, rows, ONE)
    book = read_gradebook(path)
    assert book[0]["student"] == '\'=HYPERLINK("http://x")' and book[1]["student"] == "'@SUM(A1)"
    assert book[0]["message"] == "'=cmd|' /C calc'!A0" and book[1]["message"] == "'+1"
    assert (book[0]["score"], book[0]["d_sin_x2"], book[0]["max_score"]) == ("-1.5", "-1.5", "2")
    for line in path.read_text().splitlines()[1:]:
        assert line[0] not in "=+-@\t\r" and line.split(",")[0][:1] != "="


# --- write failures -------------------------------------------------------------------------------


def test_an_output_folder_that_cannot_be_written_costs_only_that_student(tmp_path):
    """A file where bob's folder should be: bob's row names it; the others are graded."""
    subs = class_folder(tmp_path, "ann", "bob", "cy")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bob").write_text("in the way\n")
    result = grade_batch(str(subs), str(out), ONE, jobs=2)
    rows = {row.student: row for row in result.rows}
    assert rows["ann"].status == rows["cy"].status == "passed"
    assert rows["bob"].status == "crashed"
    assert "bob's" in rows["bob"].message and str(out / "bob") in rows["bob"].message
    assert result.exit_code == 1


def test_a_report_that_cannot_be_written_names_the_file_and_the_student(tmp_path):
    """A folder where bob's report.json goes: bob crashed with a message naming report.json."""
    subs = class_folder(tmp_path, "ann", "bob")
    out = tmp_path / "out"
    (out / "bob" / "report.json").mkdir(parents=True)
    result = grade_batch(str(subs), str(out), ONE, jobs=2)
    rows = {row.student: row for row in result.rows}
    assert rows["ann"].status == "passed"
    assert rows["bob"].status == "crashed"
    assert "bob's" in rows["bob"].message and str(out / "bob" / "report.json") in rows["bob"].message


def test_the_cli_shows_control_characters_in_names_escaped(tmp_path):
    """A file name holding an escape code cannot drive the terminal through the progress lines."""
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "\x1b[2Jwipe.py").write_text(CORRECT)
    (subs / "\x1b]0;title\x07.txt").write_text("x")
    (tmp_path / "hw.toml").write_text("examples = 10\n[exercises.d_sin_x2]\npoints = 2\n")
    result = CliRunner().invoke(
        cli, ["batch", str(subs), "--assignment", str(tmp_path / "hw.toml"), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x1b" not in result.stderr
    assert "\\x1b[2Jwipe" in result.stderr


def test_a_report_file_that_cannot_be_replaced_is_named_not_its_temporary_twin(tmp_path):
    """write_student's error names report.json itself, never the hidden temporary file beside it."""
    from grader.batch.student import write_student
    from grader.grading.ungraded import unloadable

    report = unloadable("x.py", 1, [], "nothing")
    (tmp_path / "report.json").mkdir()
    with pytest.raises(OSError) as caught:
        write_student(report, tmp_path, (), ONE, "hash")
    assert caught.value.filename == str(tmp_path / "report.json")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_report_the_batch_process_cannot_write_costs_only_that_student(tmp_path):
    """Something in the way of bob's report.json while he is graded: his row names it; ann passes."""
    from grader.grading import grade

    subs = class_folder(tmp_path, "ann", "bob")
    out = tmp_path / "out"

    def in_the_way_for_bob(path, options):
        if Path(path).stem == "bob":
            (out / "bob" / "report.json").mkdir()
        return grade(path, options)

    result = grade_batch(str(subs), str(out), ONE, jobs=2, grader=in_the_way_for_bob)
    rows = {row.student: row for row in result.rows}
    assert rows["ann"].status == "passed"
    assert rows["bob"].status == "crashed"
    assert f"cannot write bob's {out / 'bob' / 'report.json'}: Is a directory" in rows["bob"].message
