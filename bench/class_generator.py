"""A realistic class for the batch benchmarks, built from the corpus: most students make mistakes.

Run:  python bench/class_generator.py FOLDER [--students 100] [--seed 0]

Each student starts from one of the corpus's correct submissions (vectorised, loops, lists,
float32, examples/correct.py) and then, as drawn by a seeded random generator:
- about 1 in 10 hands it in as it is (all right);
- the others override 1 to 6 of its functions with classic wrong answers from
  tests/corpus/wrong/ (a later `def` replaces the earlier one, as when a student pastes a
  new attempt at the bottom), so most students have several wrong answers, and about 1 in
  8 of them also leave 1 to 4 exercises out (missing);
- about 1 in 8 answer the scalar and Jacobian exercises with formulas (correct_formulas.py),
  some of them with the wrong formula of the corpus;
- about 1 in 8 hand in a notebook (.ipynb, nbformat): one cell for the base, one per answer
  pasted after it;
- a few hand in the corpus's half-finished, raising or misspelt submissions.

The same --students and --seed give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
BASES = (
    ROOT / "examples" / "correct.py",
    CORPUS / "correct_vectorised.py",
    CORPUS / "correct_loops.py",
    CORPUS / "correct_lists.py",
    CORPUS / "correct_float32.py",
)
ODD = (CORPUS / "mixed_submission.py", CORPUS / "raising.py", CORPUS / "stub_and_misspelt.py")
_DEF = re.compile(r"^def (\w+)\(", re.MULTILINE)


def _wrong_answers() -> dict[str, list[str]]:
    """The wrong answers given as functions, by exercise."""
    found: dict[str, list[str]] = {}
    for file in sorted((CORPUS / "wrong").glob("*__*.py")):
        exercise = file.name.split("__")[0]
        source = file.read_text(encoding="utf-8")
        if f"def {exercise}(" in source:
            found.setdefault(exercise, []).append(source)
    return found


def _without(source: str, names: set[str]) -> str:
    """`source` with the top-level functions `names` removed (the student left them out)."""
    kept, skipping = [], False
    for line in source.splitlines(keepends=True):
        match = _DEF.match(line)
        if match:
            skipping = match.group(1) in names
        elif line.strip() and not line[0].isspace() and not line.startswith(("#", ")")):
            skipping = False
        if not skipping:
            kept.append(line)
    return "".join(kept)


def student(rng: random.Random, wrong: dict[str, list[str]]) -> tuple[str, list[str], str]:
    """One student: (kind, cells of code, what they did), drawn from `rng`."""
    roll = rng.random()
    if roll < 0.04:
        odd = rng.choice(ODD)
        return "py", [odd.read_text(encoding="utf-8")], f"corpus {odd.stem}"
    base_file = rng.choice(BASES)
    base = base_file.read_text(encoding="utf-8")
    cells = [base]
    notes = [base_file.stem]
    if rng.random() < 0.12:
        cells.append((CORPUS / "correct_formulas.py").read_text(encoding="utf-8"))
        notes.append("formulas")
        if rng.random() < 0.5:
            cells.append((CORPUS / "wrong" / "d_ln_x2__formula_inner_derivative_forgotten.py").read_text())
            notes.append("a wrong formula")
    if rng.random() >= 0.1:
        exercises = rng.sample(sorted(wrong), rng.randint(1, 6))
        cells += [rng.choice(wrong[name]) for name in exercises]
        notes.append(f"{len(exercises)} wrong")
        if rng.random() < 0.125:
            left = set(rng.sample(sorted(set(_DEF.findall(base)) - set(exercises)), rng.randint(1, 4)))
            cells[0] = _without(base, left)
            notes.append(f"{len(left)} missing")
    kind = "ipynb" if rng.random() < 0.125 else "py"
    return kind, cells, ", ".join(notes)


def build_class(folder: Path, students: int, seed: int = 0) -> Counter[str]:
    """Write `students` submissions into `folder` (created); returns how many of each kind."""
    import nbformat

    rng = random.Random(seed)
    wrong = _wrong_answers()
    folder.mkdir(parents=True, exist_ok=True)
    kinds: Counter[str] = Counter()
    for i in range(students):
        kind, cells, notes = student(rng, wrong)
        name = f"student{i:04d}"
        if kind == "ipynb":
            book = nbformat.v4.new_notebook()
            book.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
            nbformat.write(book, str(folder / f"{name}.ipynb"))
        else:
            (folder / f"{name}.py").write_text("\n\n".join(cells), encoding="utf-8")
        kinds[kind] += 1
        kinds["with wrong answers"] += "wrong" in notes
        kinds["with formulas"] += "formulas" in notes
        kinds["with missing exercises"] += "missing" in notes
        kinds["several wrong (2+)"] += any(f"{k} wrong" in notes for k in range(2, 7))
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    kinds = build_class(args.folder, args.students, args.seed)
    print(f"{args.students} submissions in {args.folder}: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))


if __name__ == "__main__":
    main()
