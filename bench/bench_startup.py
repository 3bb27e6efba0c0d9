"""Benchmark 1, start-up: `grade --help` and `grade --version` against `python -c pass`.

Run:  python bench/bench_startup.py [--runs 15]

Each command runs in a fresh process, --runs times (after one untimed warm-up run that
fills the file cache); the table gives the median wall time, the range, and the ratio of
the medians to that of `python -c pass`, and the CPU time of each (the firmer figure on a
busy machine).  Targets: `grade --help` under 0.15 s (issue 7), and at most 2.5 times
`python -c pass` (issue 20).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from _common import ENV, ROOT, children_cpu, grade_command, header, median, spread, table

CPU: dict[str, list[float]] = {}


def _walls(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, env=ENV)  # warm-up, bytecode
    walls, cpus = [], []
    for _ in range(runs):
        before = children_cpu()
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, capture_output=True, env=ENV)
        walls.append(time.perf_counter() - started)
        cpus.append(children_cpu() - before)
    CPU[" ".join(command)] = cpus
    return walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    header("start-up")
    grade = grade_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "grade --help": [*grade, "--help"],
        "grade --version": [*grade, "--version"],
    }
    results = {label: _walls(command, args.runs) for label, command in commands.items()}
    base = median(results["python -c pass"])
    base_cpu = median(CPU[" ".join(commands["python -c pass"])])
    rows = [
        (
            f"`{label}`",
            f"{median(walls) * 1000:.0f} ms",
            f"{min(walls) * 1000:.0f}-{max(walls) * 1000:.0f} ms",
            f"{median(walls) / base:.1f}x",
            f"{median(CPU[' '.join(commands[label])]) * 1000:.0f} ms",
            f"{median(CPU[' '.join(commands[label])]) / base_cpu:.1f}x",
        )
        for label, walls in results.items()
    ]
    print(f"{args.runs} runs each; wall time in s: "
          + "; ".join(f"{label} {spread(walls, 3)}" for label, walls in results.items()))
    print()
    columns = ["command", "median wall", "range", "vs python -c pass", "median CPU", "CPU vs python -c pass"]
    print(table(columns, rows))
    help_median = median(results["grade --help"])
    ratio = help_median / base
    print()
    print(f"target grade --help < 0.15 s: {'met' if help_median < 0.15 else 'missed'} ({help_median:.3f} s)")
    help_cpu = median(CPU[" ".join(commands["grade --help"])]) / base_cpu
    print(f"target grade --help <= 2.5x python -c pass: {'met' if ratio <= 2.5 else 'missed'} "
          f"({ratio:.1f}x wall, {help_cpu:.1f}x CPU)")


if __name__ == "__main__":
    main()
