"""Benchmark, class report: building class-report.html and mistakes.csv for 1,000 students.

Run:  python bench/bench_class_report.py [--students 1000] [--runs 3]

A synthetic batch output folder is written once in a temporary folder: gradebook.csv and,
per student, a report.json of the 41 exercises of the catalogue, each passed, missing, or
failed on its reference and finite-difference identities with a named mistake (or none) and a
counterexample, dealt from a seeded random generator; a few students are crashed or invalid.
Each run times `write_class_report` (reading every report.json, the figures, the page, the
CSV) in this process, as `grade report OUTDIR` does.  Target (issue 19): under 5 s.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from _common import header, spread, table

MISTAKES = ("transpose", "sign", "factor", "normalisation", "missing-mask", "chain-rule", None)


def synthetic_class(out: Path, students: int, seed: int = 19) -> None:
    """gradebook.csv and a report.json per student, as `grade batch` writes them."""
    from exercises import all_exercises
    from grader.assignment import AssignedExercise, Assignment
    from grader.batch.gradebook import Row, failed_row, write_gradebook
    from grader.render.json import render_json
    from grader.report import Counterexample, ExerciseResult, IdentityResult, Report

    rng = random.Random(seed)
    catalogue = list(all_exercises())
    assignment = Assignment("bench", tuple(AssignedExercise(e.name, e.points, "visible") for e in catalogue))
    rows = []
    for i in range(students):
        student = f"student{i:04d}"
        if i % 97 == 5:
            rows.append(failed_row(student, "crashed" if i % 2 else "invalid", assignment, "killed"))
            continue
        results = []
        skill = rng.random()
        for e in catalogue:
            luck = rng.random()
            if luck < 0.1:
                results.append(ExerciseResult.zero(e.name, e.set, e.points, "missing", "no function"))
            elif luck < 0.1 + 0.9 * skill:
                held = tuple(
                    IdentityResult(n, "passed")
                    for n in ("returns results of the shapes", "matches the reference answer")
                )
                results.append(
                    ExerciseResult(e.name, e.set, "passed", e.points, e.points, held, examples=100)
                )
            else:
                mistake = rng.choice(MISTAKES)
                example = Counterexample(
                    {"x": [rng.uniform(-2, 2) for _ in range(rng.randint(1, 4))], "b": rng.uniform(-1, 1)},
                    [rng.uniform(-1, 1) for _ in range(3)],
                    [rng.uniform(-1, 1) for _ in range(3)],
                )
                failing = tuple(
                    IdentityResult(n, "failed", "mismatched elements 3 / 3", mistake, example)
                    for n in ("matches the reference answer", "agrees with finite differences of f")
                )
                results.append(ExerciseResult(e.name, e.set, "failed", 0.0, e.points, failing, "a hint", 100))
        report = Report(submission=f"{student}.py", seed=i, exercises=tuple(results), assigned=True)
        (out / student).mkdir()
        (out / student / "report.json").write_text(render_json(report))
        (out / student / "report.html").write_text("<!DOCTYPE html>")
        rows.append(
            Row(
                student,
                report.status,
                report.score,
                report.max_score,
                tuple((r.name, r.score) for r in results),
                folder=student,
            )
        )
    write_gradebook(out / "gradebook.csv", rows, assignment)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    header(f"class report of {args.students:,} synthetic students")
    from grader.classreport import write_class_report

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        started = time.perf_counter()
        synthetic_class(out, args.students)
        print(f"synthetic folder written in {time.perf_counter() - started:.1f} s", flush=True)
        seconds = []
        for _ in range(args.runs):
            started = time.perf_counter()
            written = write_class_report(out)
            seconds.append(time.perf_counter() - started)
        size = written.page.stat().st_size
        lines = written.mistakes.read_text().count("\n") - 1
    print(
        table(
            ["students", "exercises", "page", "mistakes.csv rows", "seconds (median, range)"],
            [[args.students, len(written.roster.exercises), f"{size / 1e6:.1f} MB", lines, spread(seconds)]],
        )
    )


if __name__ == "__main__":
    main()
