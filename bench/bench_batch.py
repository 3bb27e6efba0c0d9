"""Benchmark 4, batch: `grade batch` on 100 submissions with --jobs 1 and --jobs 2.

Run:  python bench/bench_batch.py [--submissions 100] [--runs 1] [--jobs 1 2] [--mix correct mixed]

The submissions are copies, in a temporary folder, of examples/correct.py (all 41
exercises right) and tests/corpus/mixed_submission.py (a few right, a few wrong, the rest
missing), dealt in turn (--mix).  Each run grades them into a fresh output folder (so no
student is skipped as unchanged), in a fresh `grade batch` process, at the default settings
(fixed seed, 100 examples).  Target (issue 7): 100 submissions in under 60 s with 2 jobs.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _common import ROOT, grade_command, header, median, spread, table, timed

KINDS = {
    "correct": ROOT / "examples" / "correct.py",
    "mixed": ROOT / "tests" / "corpus" / "mixed_submission.py",
    "mistakes": ROOT / "examples" / "mistakes.py",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--mix", nargs="+", choices=sorted(KINDS), default=["correct", "mixed"])
    args = parser.parse_args()
    header("batch")
    rows = []
    with tempfile.TemporaryDirectory(prefix="matgrade-bench-") as scratch:
        folder = Path(scratch) / "submissions"
        folder.mkdir()
        for i in range(args.submissions):
            kind = args.mix[i % len(args.mix)]
            shutil.copy(KINDS[kind], folder / f"student{i:03d}_{kind}.py")
        dealt = [args.mix[i % len(args.mix)] for i in range(args.submissions)]
        counts = {k: dealt.count(k) for k in args.mix}
        print(f"{args.submissions} submissions: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        for jobs in args.jobs:
            walls, cpus = [], []
            for run in range(args.runs):
                out = Path(scratch) / f"out-{jobs}-{run}"
                wall, cpu, code = timed(
                    [*grade_command(), "batch", str(folder), "-o", str(out), "--jobs", str(jobs)],
                    cwd=ROOT,
                    capture_output=True,
                )
                if code != 0:
                    raise SystemExit(f"grade batch exited with {code}")
                walls.append(wall)
                cpus.append(cpu)
                print(f"--jobs {jobs}, run {run + 1}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
            rows.append((
                f"--jobs {jobs}",
                f"{spread(walls, 1)} s",
                f"{median(cpus):.1f} s",
                f"{median(cpus) / args.submissions:.2f} s",
                f"{args.submissions / median(walls):.2f}",
            ))
    print()
    print(table(["grade batch", "wall, median (range)", "CPU", "CPU per submission", "submissions/s"], rows))
    if 2 in args.jobs and args.submissions == 100:
        two = rows[args.jobs.index(2)][1].split()[0]
        print()
        verdict = "met" if float(two) < 60 else "missed"
        print(f"target 100 submissions < 60 s with --jobs 2: {verdict} ({two} s)")


if __name__ == "__main__":
    main()
