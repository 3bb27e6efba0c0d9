"""Benchmark 7, hostile formulas: how fast each is refused, by the grammar and through the worker.

Run:  python bench/bench_formulas.py [--runs 15]

The formulas are those of tests/grader/test_formulas.py (an import, attribute access, a
lambda, a power tower, a huge exponent, a megabyte, deep nesting ...).  Each is refused by
`grader.sandbox.worker.grammar.compile_formula` in this process ("grammar", --runs times), then by the worker
(`Sandbox.formula`, one worker, after one untimed warm-up request: "worker").  Target
(exercises.md, "Symbolic answers"): every refusal in under 1 s.  The tests check only
that each is refused, and by what; how fast is measured here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import header, spread, table

HOSTILE = {
    "import": "__import__('os')",
    "attribute": "x.__class__",
    "lambda": "lambda: 1",
    "tower": "9**9**9**9",
    "huge power": "x**99999999",
    "megabyte": "x+" * 500_000 + "x",
    "deep": "(" * 300 + "x" + ")" * 300,
    "deep sums": "(x+" * 100 + "x" + ")" * 100,
    "deep unary": "-" * 200 + "x",
    "implicit product": "2x",
}
TARGET = 1.0


def _grammar(text: str, runs: int) -> list[float]:
    import numpy as np

    from grader.sandbox.worker import grammar

    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            grammar.compile_formula(text, ("x",), np)
        except grammar.FormulaError:
            pass
        else:
            raise SystemExit(f"not refused: {text[:40]!r}")
        walls.append(time.perf_counter() - started)
    return walls


def _worker(runs: int) -> dict[str, list[float]]:
    from grader.sandbox import Sandbox

    source = "".join(f"f{i} = {text!r}\n" for i, text in enumerate(HOSTILE.values()))
    source += 'warm = "2/x"\n'
    walls: dict[str, list[float]] = {label: [] for label in HOSTILE}
    with Sandbox(source, "hostile.py") as sandbox:
        assert sandbox.load().error is None
        sandbox.formula("warm", ["x"])  # the grammar's import in the worker
        for _ in range(runs):
            for i, label in enumerate(HOSTILE):
                started = time.perf_counter()
                refused = sandbox.formula(f"f{i}", ["x"])
                walls[label].append(time.perf_counter() - started)
                if refused is None:
                    raise SystemExit(f"not refused by the worker: {label}")
            sandbox._formulas.clear()
    return walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    header("hostile formulas")
    grammar = {label: _grammar(text, args.runs) for label, text in HOSTILE.items()}
    worker = _worker(args.runs)
    rows = [
        (label, f"{len(text):,}", spread([w * 1000 for w in grammar[label]], 1),
         spread([w * 1000 for w in worker[label]], 1))
        for label, text in HOSTILE.items()
    ]
    print(f"{args.runs} runs each; milliseconds, median (range)")
    print()
    print(table(["formula", "characters", "grammar, ms", "worker, ms"], rows))
    slowest = max(max(walls) for walls in (*grammar.values(), *worker.values()))
    print()
    print(f"target every refusal < {TARGET:g} s: {'met' if slowest < TARGET else 'missed'} "
          f"(slowest {slowest:.3f} s)")


if __name__ == "__main__":
    main()
