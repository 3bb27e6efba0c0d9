"""Benchmark 6, thoroughness: the share of the corpus's wrong answers caught at 10 to 200 examples.

Run:  python bench/bench_thoroughness.py [--examples 10 25 50 100 200] [--seeds 3]

The wrong answers are tests/corpus/wrong/<exercise>__<mistake>.py, one classic wrong answer
of catalogue.md §4 each (formula answers are left out).  For each number of examples and
each seed (the default seed, then 1, 2, ...), every wrong answer is graded as `grade` does
up to its verdict (grader.checking.checker.caught: the generated inputs, in order, then the kink),
without shrinking the failure, which does not change whether it is caught.  The table gives
the share caught, over all seeds, and names what is missed at the default of 100; then how
many input sets it took to catch each (explicit examples come first).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from _common import WRONG, header, table


def _rounds() -> list[list[tuple[str, Path]]]:
    """Round k holds the k-th wrong answer (a function) of every exercise: one file, one worker."""
    from exercises import all_exercises

    per_exercise = []
    for exercise in all_exercises():
        files = [
            (exercise.name, path)
            for path in sorted(WRONG.glob(f"{exercise.name}__*.py"))
            if f"def {exercise.name}(" in path.read_text(encoding="utf-8")
        ]
        per_exercise.append(files)
    depth = max(len(files) for files in per_exercise)
    return [[files[k] for files in per_exercise if k < len(files)] for k in range(depth)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, nargs="+", default=[10, 25, 50, 100, 200])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    header("thoroughness")
    from exercises import by_name
    from grader.checking import Settings, caught
    from grader.grading import DEFAULT_SEED
    from grader.sandbox import Sandbox

    seeds = [DEFAULT_SEED, *range(1, args.seeds)]
    hits: dict[int, int] = defaultdict(int)
    needed: list[int] = []  # input sets it took to catch each answer, at the default examples
    missed: dict[int, set[str]] = defaultdict(set)
    total = 0
    for answers in _rounds():
        source = "\n\n".join(path.read_text(encoding="utf-8") for _, path in answers)
        with Sandbox(source, "round.py") as sandbox:
            assert sandbox.load().error is None
            for name, path in answers:
                total += 1
                for examples in args.examples:
                    for seed in seeds:
                        settings = Settings(seed=seed, examples=examples)
                        count = caught(by_name()[name], sandbox, settings)
                        if count is not None:
                            hits[examples] += 1
                            if examples == 100:
                                needed.append(count)
                        else:
                            missed[examples].add(path.stem)
        print(f"round of {len(answers)} wrong answers: done", flush=True)
    runs = total * len(seeds)
    print(f"\n{total} wrong answers x {len(seeds)} seeds ({', '.join(map(str, seeds))})\n")
    print(table(
        ["examples per exercise", "caught", "share", "wrong answers missed at some seed"],
        [(n, f"{hits[n]} / {runs}", f"{100 * hits[n] / runs:.1f}%", len(missed[n])) for n in args.examples],
    ))
    if needed:
        needed.sort()
        print(
            f"\nat 100 examples, the input sets checked until the first failure: median "
            f"{needed[len(needed) // 2]}, 90th percentile {needed[int(0.9 * (len(needed) - 1))]}, "
            f"largest {needed[-1]} ({sum(1 for n in needed if n <= 4)} of {len(needed)} in the first 4)"
        )
    for n in (100, max(args.examples)):
        if missed.get(n):
            print(f"\nmissed at {n} examples (some seed): {', '.join(sorted(missed[n]))}")


if __name__ == "__main__":
    main()
