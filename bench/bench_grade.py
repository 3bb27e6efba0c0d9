"""Benchmark: wall and CPU time of grading a complete 41-exercise submission.

Run:  python bench/bench_grade.py [--runs 3] [--examples 100] [--jobs 2] [FILE]
Prints the machine, the versions, and the median of several runs of `grade FILE` in a fresh
process each (start-up included), plus the in-process time per set.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _versions() -> str:
    import hypothesis
    import numpy
    import sympy

    return (
        f"python {platform.python_version()}, hypothesis {hypothesis.__version__}, "
        f"numpy {numpy.__version__}, sympy {sympy.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "examples" / "correct.py"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs; {_versions()}")
    command = [
        sys.executable,
        "-m",
        "grader.cli",
        args.file,
        "--examples",
        str(args.examples),
        "--jobs",
        str(args.jobs),
        "--format",
        "json",
        "-o",
        os.devnull,
    ]
    walls, cpus = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=False, cwd=ROOT)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    print(
        f"grade {Path(args.file).name} --examples {args.examples} --jobs {args.jobs}: "
        f"wall median {statistics.median(walls):.2f} s (runs: {', '.join(f'{w:.2f}' for w in walls)}), "
        f"CPU median {statistics.median(cpus):.2f} s"
    )

    from grader.grading import Options, grade

    report = grade(args.file, Options(examples=args.examples, jobs=1))
    checked = sum(e.examples for e in report.exercises)
    started = time.perf_counter()
    by_set: dict[str, float] = {}
    from exercises import SETS

    for name in SETS:
        t0 = time.perf_counter()
        grade(args.file, Options(examples=args.examples, jobs=1, only=(name,)))
        by_set[name] = time.perf_counter() - t0
    total = time.perf_counter() - started
    print(
        f"in process, one job: {total:.2f} s for {checked} generated inputs ({checked / total:.0f} inputs/s)"
    )
    for name, seconds in by_set.items():
        print(f"  {name:<12} {seconds:.2f} s")


if __name__ == "__main__":
    main()
