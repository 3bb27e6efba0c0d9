"""The service's pure parts, without a server: the [service] rules, the upload checks, the student's view."""

from __future__ import annotations

import datetime
import json

import pytest

from grader.assignment import parse_assignment
from grader.errors import UsageError
from grader.service.rules import Rules, parse_rules
from grader.service.uploads import MAX_CELLS, Refused, check_upload
from grader.service.views import student_json, withheld


def test_the_service_table_is_parsed_with_a_utc_deadline_and_defaults():
    """A naive date-time is read as UTC; unset keys keep their defaults."""
    rules = parse_rules({"deadline": datetime.datetime(2026, 12, 20, 23, 59), "counts": "best"})
    assert rules.deadline == datetime.datetime(2026, 12, 20, 23, 59, tzinfo=datetime.UTC)
    assert (rules.late, rules.submissions_per_hour, rules.max_upload_kb, rules.counts) == (
        "accept",
        0,
        2048,
        "best",
    )
    assert rules.is_late(datetime.datetime(2026, 12, 21, tzinfo=datetime.UTC))
    assert not Rules().is_late(datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"deadlin": 1}, "did you mean 'deadline'"),
        ({"late": "maybe"}, 'late must be "accept" or "refuse"'),
        ({"counts": "first"}, 'counts must be "last" or "best"'),
        ({"submissions_per_hour": -1}, "submissions_per_hour must be an integer from 0"),
        ({"max_upload_kb": 10**9}, "max_upload_kb must be an integer from 1 to 32,768"),
        ({"deadline": "tomorrow"}, "deadline must be a TOML date-time"),
    ],
)
def test_a_wrong_service_key_or_value_is_a_usage_error_naming_it(table, words):
    """Each mistake in [service] names the key and what is expected, also when `grade` reads the file."""
    with pytest.raises(UsageError, match=words):
        parse_rules(table, "hw1.toml")
    with pytest.raises(UsageError, match=words):
        parse_assignment({"exercises": {"neuron_grad": {}}, "service": table}, "hw1.toml")


def test_an_assignment_with_a_service_table_still_grades_as_before():
    """`grade --assignment` accepts the table and its exercises are unchanged."""
    assignment = parse_assignment({"exercises": {"neuron_grad": {}}, "service": {"counts": "best"}})
    assert [e.name for e in assignment.exercises] == ["neuron_grad"]


@pytest.mark.parametrize(
    ("name", "data", "status", "words"),
    [
        ("../x.py", b"x = 1\n", 422, "holds a path"),
        ("a\\b.py", b"x = 1\n", 422, "holds a path"),
        (None, b"x = 1\n", 422, "no file name"),
        ("x.pyc", b"x = 1\n", 422, "not a .py file"),
        ("-x.py", b"x = 1\n", 422, "not allowed"),
        ("x.py", b"", 422, "is empty"),
        ("x.py", b"PK\x03\x04\x00\x00", 422, "binary file"),
        ("x.py", b"\xff\xfe\xfa", 422, "not UTF-8"),
        ("x.py", b"#" * 2049, 413, "is 3 KiB; this assignment takes at most 2 KiB"),
        ("x.ipynb", b"[1, 2]", 422, "not a Jupyter notebook"),
    ],
)
def test_an_upload_is_refused_with_its_status_and_what_to_do(name, data, status, words):
    """Each bad upload: the status the API answers and a message that says what was wrong."""
    with pytest.raises(Refused) as refused:
        check_upload(name, data, 2)
    assert refused.value.status == status and words in refused.value.message


def test_a_notebook_of_max_cells_passes_and_one_more_cell_is_refused():
    """MAX_CELLS cells are accepted; MAX_CELLS + 1 are not."""
    cell = {"cell_type": "raw", "metadata": {}, "source": ""}

    def notebook(cells: int) -> bytes:
        return json.dumps(
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell] * cells}
        ).encode()

    assert check_upload("n.ipynb", notebook(MAX_CELLS), 10_000).filename == "n.ipynb"
    with pytest.raises(Refused, match="at most 2,000"):
        check_upload("n.ipynb", notebook(MAX_CELLS + 1), 10_000)


def test_a_good_upload_keeps_its_name_and_bytes_with_their_hash():
    """Accepted: the same name, the bytes unchanged, their SHA-256."""
    accepted = check_upload("My hw-1.py", "x = 'é'\n".encode(), 2)
    assert (accepted.filename, accepted.data) == ("My hw-1.py", "x = 'é'\n".encode())
    assert len(accepted.sha256) == 64


def test_a_students_view_withholds_hidden_exercises_and_after_due_ones_until_the_deadline():
    """hidden always; after_due_date before the deadline only; the score is that of the shown."""
    assignment = parse_assignment(
        {
            "exercises": {
                "neuron_grad": {"points": 2},
                "mse_grad": {"visibility": "hidden"},
                "d_ln_x2": {"visibility": "after_due_date"},
            }
        }
    )
    assert withheld(assignment, due=False) == {"mse_grad", "d_ln_x2"}
    assert withheld(assignment, due=True) == {"mse_grad"}
    report = {
        "score": 3.0,
        "max_score": 4.0,
        "notes": [],
        "exercises": [
            {"name": "neuron_grad", "score": 2.0, "max_score": 2.0},
            {"name": "mse_grad", "score": 0.0, "max_score": 1.0},
            {"name": "d_ln_x2", "score": 1.0, "max_score": 1.0},
        ],
    }
    shown = student_json(json.dumps(report), withheld(assignment, due=False))
    assert [e["name"] for e in shown["exercises"]] == ["neuron_grad"]
    assert (shown["score"], shown["max_score"]) == (2.0, 2.0)
    assert shown["notes"] == ["2 exercises withheld until your instructor shows the results"]
    assert student_json(json.dumps(report), frozenset()) == report
