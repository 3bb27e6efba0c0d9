"""Benchmark 5b, class size: the cost per submission of `grade batch --jobs 2` as the class grows.

Run:  python bench/bench_class_size.py [--sizes 100] [--seeds fixed student] [--keep DIR]
      python bench/bench_class_size.py --sizes 100 1000     # the 1,000-student run too (long)

For each size n, a realistic class of n from bench/class_generator.py (seed 0: most students
with several wrong answers, some notebooks, some formula answers; the first n students of a
larger class are the same files) is graded by one fresh `grade batch --jobs 2` (the local
process pool) with an assignment of every exercise at 100 examples and
- `seed = 20261122` (fixed): the inputs and references are drawn once for the whole class,
  before the processes fork (for this seed and 100 examples they ship with the package and are
  read, not drawn), and every student is judged on them: the shared draw;
- `seed = "student"`: each student's inputs come from their own seed, so each draws their own.
Printed per run: wall and CPU (user+sys of `grade` and every process under it, the sandbox
workers included), both per submission, and the load average.  With two sizes or more, the
fit cost(n) = F + c x n through the smallest and the largest gives the fixed cost F (imports,
the draw, the class report) and the cost per student c; the figure of issue 20 is the cost
per submission at 1,000 students with the shared draw (target 0.25 s of wall time): measured
when 1,000 is among --sizes, else projected as F / 1000 + c from the fit (and marked so).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from _common import header, table
from bench_dask import assignment, run
from class_generator import build_class


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100], help="class sizes (default: 100)")
    parser.add_argument("--seeds", nargs="+", choices=("fixed", "student"), default=["fixed", "student"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the classes and output folders in this folder")
    args = parser.parse_args()
    header("class size: grade batch, the cost per submission")
    sizes = sorted(set(args.sizes))
    scratch = tempfile.mkdtemp(prefix="matgrade-bench-class-")
    base = args.keep or Path(scratch)
    base.mkdir(parents=True, exist_ok=True)
    try:
        tomls = {seed: assignment(base / f"{seed}.toml", seed) for seed in args.seeds}
        results: dict[tuple[int, str], tuple[float, float, float]] = {}
        for size in sizes:
            folder = base / f"class{size}"
            kinds = build_class(folder, size)
            print(f"class of {size}: " + ", ".join(f"{n} {k}" for k, n in kinds.items()), flush=True)
            for seed in args.seeds:
                out = base / f"out-{size}-{seed}"
                shutil.rmtree(out, ignore_errors=True)
                load = os.getloadavg()[0]
                wall, cpu = run(folder, out, tomls[seed], ["--jobs", str(args.jobs)])
                results[(size, seed)] = (wall, cpu, load)
        print()
        rows = [
            (size, seed, f"{load:.1f}", f"{wall:.1f}", f"{cpu:.1f}", f"{wall / size:.2f}",
             f"{cpu / size:.2f}")
            for (size, seed), (wall, cpu, load) in results.items()
        ]
        print(table(["students", "seed", "load at start", "wall s", "CPU s", "wall per submission s",
                     "CPU per submission s"], rows))
        if len(sizes) >= 2:
            print()
            small, large = sizes[0], sizes[-1]
            for seed in args.seeds:
                for what, index in (("wall", 0), ("CPU", 1)):
                    a, b = results[(small, seed)][index], results[(large, seed)][index]
                    per = (b - a) / (large - small)
                    fixed = a - per * small
                    at = b / large if large == 1000 else fixed / 1000 + per
                    how = "measured" if large == 1000 else "projected"
                    print(f"seed {seed}, {what}: F = {fixed:.1f} s, c = {per:.2f} s per student; "
                          f"per submission at 1,000 students {at:.2f} s ({how})")
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
