"""docs/exercises.md is what exercises.contract generates, and its shapes are the reference's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import find, settings

from exercises import all_exercises
from exercises.contract import COMMAND, contract_markdown, main
from exercises.conventions import CONVENTIONS, EVERYWHERE, returns_of

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "exercises.md"


def test_docs_exercises_md_is_what_the_declarations_generate() -> None:
    """docs/exercises.md equals contract_markdown(); when it does not, the message says how to fix it."""
    assert DOC.read_text(encoding="utf-8") == contract_markdown(), (
        f"docs/exercises.md is out of date with exercises/: run `{COMMAND}` and commit the result"
    )


def test_the_contract_names_every_exercise_with_its_signature() -> None:
    """Each exercise has a heading with its exact signature, in contract order."""
    text = contract_markdown()
    headings = re.findall(r"^### `(.+)`$", text, flags=re.MULTILINE)
    assert headings == [e.signature for e in all_exercises()]
    assert len(headings) == 41


def test_the_contract_words_out_every_convention_k1_to_k14() -> None:
    """K1 to K14 each have a row; those that hold everywhere are listed for every exercise."""
    assert list(CONVENTIONS) == [f"K{i}" for i in range(1, 15)]
    text = contract_markdown()
    for k, wording in CONVENTIONS.items():
        assert f"| {k} | {wording} |" in text
    conventions = re.findall(r"^- conventions: (.+)$", text, flags=re.MULTILINE)
    assert len(conventions) == 41
    assert all(line.endswith(", ".join(EVERYWHERE)) for line in conventions)


def test_main_prints_the_contract_or_writes_it_to_a_path(tmp_path: Path, capsys: Any) -> None:
    """`python -m exercises.contract` prints the text; with a path it writes it there."""
    assert main([]) == 0
    assert capsys.readouterr().out == contract_markdown()
    target = tmp_path / "exercises.md"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == contract_markdown()
    assert main(["--bogus"]) == 2
    assert "usage:" in capsys.readouterr().err


def _shape_of(text: str) -> tuple[str, ...] | None:
    """("2", "n") for "shape (2, n), ..."; () for a float or an int; None for a list."""
    if text.startswith("a list"):
        return None
    if text in ("a float", "an int"):
        return ()
    match = re.match(r"shape \(([^)]*)\)", text)
    assert match, text
    return tuple(part.strip() for part in match.group(1).split(",") if part.strip())


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda e: e.name)
def test_each_result_has_the_shape_the_contract_states(exercise: Any) -> None:
    """The reference's answer on the simplest input has the rank and fixed sizes of `returns_of`."""
    inputs = find(exercise.inputs(), lambda _: True, settings=settings(database=None))
    answer = exercise.reference(*(inputs[p] for p in exercise.params))
    parts = answer if isinstance(answer, tuple) else (answer,)
    lines = returns_of(exercise)
    assert len(parts) == len(lines) == len(exercise.results)
    sizes: dict[str, int] = {}
    for part, line in zip(parts, lines, strict=True):
        shape = _shape_of(line.partition(": ")[2])
        if shape is None:
            assert isinstance(part, list), line
            continue
        got = np.shape(part)
        assert len(got) == len(shape), (line, got)
        for symbol, size in zip(shape, got, strict=True):
            expected = int(symbol) if symbol.isdigit() else sizes.setdefault(symbol, size)
            assert size == expected, (line, got)
