"""`grade serve add-students` and `add-instructor`: tokens printed once, stored hashed, mistakes named."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from grader.cli import cli

pytest.importorskip("sqlalchemy", reason="the serve extra is not installed (pip install 'matgrade[serve]')")
pytest.importorskip("alembic", reason="the serve extra is not installed (pip install 'matgrade[serve]')")


def test_add_students_prints_one_token_each_and_stores_only_their_hash(tmp_path):
    """Two students, two distinct long tokens; the database holds their SHA-256, never a token."""
    import hashlib

    (tmp_path / "roster.csv").write_text("Student,Email\nalice,a@x.org\nbob,\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["serve", "add-students", "--data", str(tmp_path / "d"), str(tmp_path / "roster.csv")]
    )
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [name for name, _ in lines] == ["alice", "bob"]
    tokens = [token for _, token in lines]
    assert len(set(tokens)) == 2 and all(len(t) >= 40 for t in tokens)
    with sqlite3.connect(tmp_path / "d" / "matgrade.sqlite3") as db:
        stored = dict(db.execute("SELECT name, token_hash FROM accounts"))
    assert stored == {name: hashlib.sha256(token.encode()).hexdigest() for name, token in lines}
    raw = (tmp_path / "d" / "matgrade.sqlite3").read_bytes()
    assert not any(token.encode() in raw for token in tokens)


@pytest.mark.parametrize(
    ("roster", "words"),
    [
        ("name\nalice\n", "no `student` column"),
        ("student\nalice\nalice\n", "'alice' is listed twice"),
        ("student\n\n", "no students"),
        ("student,email\n,a@x\n", "line 2: the student's name is empty"),
    ],
)
def test_a_bad_roster_is_refused_with_what_is_wrong_and_adds_no_one(tmp_path, roster, words):
    """Exit 2 and a message naming the problem; no account is made."""
    (tmp_path / "roster.csv").write_text(roster, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["serve", "add-students", "--data", str(tmp_path / "d"), str(tmp_path / "roster.csv")]
    )
    assert result.exit_code == 2 and words in result.output
    assert result.stdout.count("\t") == 0


def test_adding_a_name_twice_adds_nothing_and_says_who(tmp_path):
    """A second roster with one known name: exit 2 naming it, and the new names are not added either."""
    runner = CliRunner()
    data = str(tmp_path / "d")
    (tmp_path / "one.csv").write_text("student\nalice\n", encoding="utf-8")
    (tmp_path / "two.csv").write_text("student\ncarol\nalice\n", encoding="utf-8")
    assert (
        runner.invoke(cli, ["serve", "add-students", "--data", data, str(tmp_path / "one.csv")]).exit_code
        == 0
    )
    again = runner.invoke(cli, ["serve", "add-students", "--data", data, str(tmp_path / "two.csv")])
    assert again.exit_code == 2 and "already have an account: alice; nothing was added" in again.output
    made = runner.invoke(cli, ["serve", "add-instructor", "--data", data, "prof"])
    assert made.exit_code == 0 and made.stdout.startswith("prof\t")
    with sqlite3.connect(tmp_path / "d" / "matgrade.sqlite3") as db:
        assert sorted(db.execute("SELECT name, role FROM accounts")) == [
            ("alice", "student"),
            ("prof", "instructor"),
        ]


def test_grade_serve_without_an_assignment_is_a_usage_error(tmp_path):
    """`grade serve --data DIR` alone: exit 2 saying an --assignment is required."""
    result = CliRunner().invoke(cli, ["serve", "--data", str(tmp_path / "d")])
    assert result.exit_code == 2 and "--assignment hw1.toml is required" in result.output
