"""Benchmark 3, failures: grading a submission in which every exercise is wrong.

Run:  python bench/bench_failures.py [--runs 3] [--examples 100] [--jobs 2] [--baseline DIR]

The submission joins the first classic wrong answer of each of the 41 exercises from
tests/corpus/wrong/ (functions only), so every exercise fails and the Hypothesis search
shrinks a counterexample everywhere.  The figures and the breakdown are those of
bench/bench_grade.py; here "search and shrinking" carries the weight.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_grade
from _common import all_wrong


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="matgrade-bench-") as scratch:
        path = Path(scratch) / "all_wrong.py"
        names = all_wrong(path)
        print(f"all_wrong.py: {len(names)} exercises, each with a classic wrong answer")
        sys.argv = [sys.argv[0], str(path), "--title", "failures", "--target", "1.8", *sys.argv[1:]]
        bench_grade.main()


if __name__ == "__main__":
    main()
