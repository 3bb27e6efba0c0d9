"""Benchmark 2, self-check: grading a complete 41-exercise submission, and where the time goes.

Run:  python bench/bench_grade.py [--runs 5] [--examples 100] [--jobs 2] [--baseline DIR] [FILE]

FILE defaults to examples/correct.py.  Three measurements, each the median of --runs:

1. `grade FILE` in a fresh process, as a student runs it (--jobs 2 by default): wall time,
   CPU time (grader, its forked job and the workers), examples checked per second; the
   same with the shipped plans turned off (MATGRADE_SHIPPED_PLANS=0: every plan drawn), and
   with --baseline DIR, the checkout in DIR (an older commit, e.g. `git worktree add DIR
   main`) run by the same Python; the variants take turns, run by run, so that they meet
   the same load, and each run's load average is kept.  The JSON reports of all variants
   must be byte-identical (checked).
2. The breakdown by phase: `grade()` with one job in a fresh process with timing on
   (grader/timing.py), plus the interpreter start and imports before it and the rendering
   of the text and JSON reports after it.  Phases are exclusive, so they add up.
3. A second submission in the same process: judging on the inputs already drawn (what each
   forked child of `grade batch` does), CPU time of the grader and its worker.

bench/bench_failures.py runs the same on a submission in which every exercise is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

PHASES = (
    "start-up",
    "worker start",
    "shipped plans",
    "input generation",
    "reference",
    "student calls",
    "comparison",
    "search and shrinking",
    "rendering",
    "other",
)


def _child(file: str, examples: int) -> None:
    """Runs in a fresh process: imports, one grade() with timing on, rendering; prints JSON."""
    began = time.perf_counter()
    os.environ["MATGRADE_TIMING"] = "1"
    import grader.cli  # noqa: F401  (what `grade` imports first)
    from grader.grading import Options, grade
    from grader.render import render
    from grader.timing import PHASES as phases

    imported = time.perf_counter()
    phases.reset()
    cpu = time.process_time()
    report = grade(file, Options(examples=examples, jobs=1))
    graded = time.perf_counter()
    seconds = dict(phases.seconds)
    seconds["other"] = (graded - imported) - sum(seconds.values())
    render(report, "text")
    render(report, "json")
    seconds["rendering"] = time.perf_counter() - graded
    seconds["imports"] = imported - began
    first_cpu = time.process_time() - cpu

    # A second submission, as a batch child grades it: the inputs are drawn already.
    import resource

    def children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    phases.reset()
    before_children, cpu, wall = children(), time.process_time(), time.perf_counter()
    again = grade(file, Options(examples=examples, jobs=1))
    warm = {
        "wall": time.perf_counter() - wall,
        "grader_cpu": time.process_time() - cpu,
        "worker_cpu": children() - before_children,
        "phases": dict(phases.seconds),
    }
    print(json.dumps({
        "seconds": seconds,
        "in_process": graded - imported,
        "first_cpu": first_cpu,
        "checked": sum(e.examples for e in report.exercises),
        "statuses": sorted({e.status for e in report.exercises}),
        # load_seconds is the worker's wall time to load the file, kept only with timing on
        "same": replace(again, load_seconds=None) == replace(report, load_seconds=None),
        "warm": warm,
        "ended": time.perf_counter() - began,
    }))


def main() -> None:
    from _common import ENV, ROOT, children_cpu, grade_command, header, median, spread, table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "examples" / "correct.py"))
    parser.add_argument("--runs", type=int, default=5 if "--title" not in sys.argv else 3)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--title", default="self-check")
    parser.add_argument("--baseline", help="a checkout of an older commit to run in turn with this one")
    parser.add_argument("--target", type=float, default=1.0, help="the wall-time target in s")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.file, args.examples)
        return
    header(f"{args.title}: grade {Path(args.file).name}")

    # 1. As a student runs it: the variants take turns, run by run.
    options = [args.file, "--examples", str(args.examples), "--jobs", str(args.jobs), "--format", "json"]
    variants: dict[str, tuple[list[str], dict[str, str], Path]] = {
        "shipped plans": ([*grade_command(), *options], {}, ROOT),
        "plans drawn": ([*grade_command(), *options], {"MATGRADE_SHIPPED_PLANS": "0"}, ROOT),
    }
    if args.baseline:
        base = Path(args.baseline).resolve()
        variants["baseline"] = ([sys.executable, "-m", "grader.cli", *options], {}, base)
    measured: dict[str, tuple[list[float], list[float], list[float]]] = {n: ([], [], []) for n in variants}
    reports: dict[str, bytes] = {}
    for command, extra, cwd in variants.values():  # warm-up: file cache and bytecode
        subprocess.run(command, check=False, cwd=cwd, env={**ENV, **extra}, capture_output=True)
    for _ in range(args.runs):
        for name, (command, extra, cwd) in variants.items():
            walls, cpus, loads = measured[name]
            loads.append(os.getloadavg()[0])
            before = children_cpu()
            started = time.perf_counter()
            environment = {**ENV, **extra}
            done = subprocess.run(command, check=False, cwd=cwd, env=environment, capture_output=True)
            walls.append(time.perf_counter() - started)
            cpus.append(children_cpu() - before)
            if done.returncode not in (0, 1):
                sys.exit(f"grade ({name}) exited with {done.returncode}: {done.stderr.decode()[-2000:]}")
            reports.setdefault(name, done.stdout)
    same = len(set(reports.values())) == 1
    walls, cpus, _ = measured["shipped plans"]
    print("| variant | wall, median (range) | CPU, median (range) | load average (range) |")
    print("|---|---|---|---|")
    for name, (w, c, loads) in measured.items():
        print(f"| {name} | {spread(w)} s | {spread(c)} s | {min(loads):.1f}-{max(loads):.1f} |")
    print()
    print(f"JSON reports byte-identical across the variants: {same}")
    if not same:
        sys.exit("the variants gave different reports")

    # 2. and 3. The breakdown, in fresh processes.
    runs = []
    for _ in range(args.runs):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, args.file, "--examples", str(args.examples), "--child"],
            check=True, cwd=ROOT, capture_output=True, text=True, env=ENV,
        )
        wall = time.perf_counter() - started
        data = json.loads(out.stdout)
        data["wall"] = wall
        runs.append(data)
    checked = runs[0]["checked"]
    statuses = ", ".join(runs[0]["statuses"])
    print(f"{checked} examples checked; statuses: {statuses}; "
          f"second grade in the same process gives the same report: {all(r['same'] for r in runs)}")
    print()

    def phase(run: dict, name: str) -> float:
        seconds = run["seconds"]
        if name == "start-up":  # interpreter start (what the process lived before its first line) + imports
            return run["wall"] - run["ended"] + seconds["imports"] if "wall" in run else seconds["imports"]
        return float(seconds.get(name, 0.0))

    wall_median = median(walls)
    rows = [
        (f"`grade {Path(args.file).name}` --jobs {args.jobs}, wall", f"{spread(walls)} s"),
        ("the same, CPU (grader, jobs and workers)", f"{spread(cpus)} s"),
        ("examples checked per second (wall)", f"{checked / wall_median:.0f}"),
        ("one job in process (grade() alone), wall", f"{spread([r['in_process'] for r in runs])} s"),
        ("second submission on drawn inputs, wall", f"{spread([r['warm']['wall'] for r in runs])} s"),
        ("second submission, CPU grader + worker",
         f"{spread([r['warm']['grader_cpu'] + r['warm']['worker_cpu'] for r in runs])} s"),
    ]
    print(table(["what", "median (range), s"], rows))
    print()
    totals = {name: median([phase(r, name) for r in runs]) for name in PHASES}
    whole = sum(totals.values())
    warm = {name: median([float(r["warm"]["phases"].get(name, 0.0)) for r in runs]) for name in PHASES}
    print(f"Breakdown, one job, fresh process (median of {args.runs}); "
          "the last column is the second submission in the same process:")
    print()
    print(table(
        ["phase", "seconds", "share", "second submission"],
        [(name, f"{totals[name]:.2f}", f"{100 * totals[name] / whole:.0f}%",
          f"{warm[name]:.2f}" if name in warm and name not in ("start-up", "rendering", "other") else "")
         for name in PHASES]
        + [("total", f"{whole:.2f}", "100%", "")],
    ))
    print()
    print(f"target <= {args.target:g} s wall: {'met' if wall_median <= args.target else 'missed'} "
          f"({wall_median:.2f} s wall, {median(cpus):.2f} s CPU, load average "
          f"{median(measured['shipped plans'][2]):.1f})")


if __name__ == "__main__":
    if "--child" not in sys.argv:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
