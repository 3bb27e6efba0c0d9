"""Benchmark 7, batches on Dask: a realistic class with the process pool and a 2-worker LocalCluster.

Run:  python bench/bench_dask.py [--students 100] [--growth 100 1000] [--seeds fixed student]

The class is bench/class_generator.py's (seed 0): most students with several wrong answers,
some notebooks, some formula answers.  Every run is a fresh `grade batch` process into a
fresh output folder, every exercise at the default 100 examples:
1. the class with the process pool (`--jobs 2`) and on a LocalCluster (`--dask --jobs 2`),
   fixed seed, and whether the two output folders are byte-identical (SOURCE_DATE_EPOCH
   fixes the class report's date);
2. the cost per submission as the class grows (--growth sizes) on the LocalCluster, for
   the fixed seed (one draw of the plans per worker, shared by its students) and for
   `seed = "student"` (each student draws their own).
CPU is user+sys of the `grade` process and every process under it (the Dask workers and the
sandbox workers included): on a busy machine it is the figure to compare; wall times are
printed with the load average.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from _common import ROOT, grade_command, header, table, timed
from class_generator import build_class

COLUMNS = ("wall s", "CPU s", "wall per submission", "CPU per submission")


def assignment(path: Path, seed: str) -> Path:
    """An assignment of every exercise at its own points with `seed` (an integer, or "student")."""
    from exercises import all_exercises
    from grader.grading import DEFAULT_SEED

    value = f'"{seed}"' if seed == "student" else str(DEFAULT_SEED)
    lines = [f"seed = {value}", ""]
    for exercise in all_exercises():
        lines += [f"[exercises.{exercise.name}]", f"points = {exercise.points:g}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run(folder: Path, out: Path, toml: Path, backend: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one `grade batch` of `folder` into `out`."""
    command = [*grade_command(), "batch", str(folder), "-o", str(out), "--assignment", str(toml)]
    command += backend
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1796601600"}
    wall, cpu, code = timed(command, cwd=ROOT, capture_output=True, env=env)
    if code not in (0, 1):  # 1: a student's grading crashed or timed out; still a whole batch
        raise SystemExit(f"{' '.join(command)} exited with {code}")
    load = os.getloadavg()[0]
    print(f"  {' '.join(backend)}: {wall:.1f} s wall, {cpu:.1f} s CPU (load {load:.2f})", flush=True)
    return wall, cpu


def same(a: Path, b: Path) -> bool:
    """Whether two output folders hold the same files with the same bytes."""
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    other = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files == other and all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--growth", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--seeds", nargs="+", choices=("fixed", "student"), default=["fixed", "student"])
    parser.add_argument("--skip-class", action="store_true", help="only the growth runs")
    args = parser.parse_args()
    header("batches on Dask")
    pool, dask = ["--jobs", "2"], ["--dask", "--jobs", "2"]
    with tempfile.TemporaryDirectory(prefix="matgrade-bench-dask-") as scratch:
        base = Path(scratch)
        tomls = {seed: assignment(base / f"{seed}.toml", seed) for seed in ("fixed", "student")}
        if not args.skip_class:
            folder = base / f"class{args.students}"
            kinds = build_class(folder, args.students)
            print(f"class of {args.students}: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
            by_pool = run(folder, base / "out-pool", tomls["fixed"], pool)
            by_dask = run(folder, base / "out-dask", tomls["fixed"], dask)
            identical = same(base / "out-pool", base / "out-dask")
            print(f"  output folders byte-identical: {'yes' if identical else 'NO'}\n")
            n = args.students
            measured = (("process pool, --jobs 2", by_pool), ("LocalCluster, 2 workers", by_dask))
            print(table(
                [f"class of {n}", *COLUMNS],
                [(name, f"{w:.1f}", f"{c:.1f}", f"{w / n:.2f}", f"{c / n:.2f}") for name, (w, c) in measured],
            ))
            wall_ratio, cpu_ratio = by_dask[0] / by_pool[0], by_dask[1] / by_pool[1]
            print(f"\nLocalCluster / pool: {wall_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU\n")
        rows = []
        done = {}  # (size, seed) -> (wall, CPU): the class's own run counts for its size
        if not args.skip_class:
            done[(args.students, "fixed")] = by_dask
        for size in args.growth:
            folder = base / f"grow{size}"
            build_class(folder, size)
            for seed in args.seeds:
                print(f"{size} students, seed {seed}:")
                if (size, seed) not in done:
                    done[(size, seed)] = run(folder, base / f"out-{size}-{seed}", tomls[seed], dask)
                wall, cpu = done[(size, seed)]
                per = (f"{wall / size:.2f}", f"{cpu / size:.2f}")
                rows.append((size, seed, f"{wall:.0f}", f"{cpu:.0f}", *per))
        if rows:
            print()
            print(table(["students", "seed", *COLUMNS], rows))


if __name__ == "__main__":
    main()
