"""Benchmark 10, exercise packs: a pack exercise against the built-in one of the same size.

Run:  python bench/bench_pack.py [--runs 5] [--examples 100]

Each built-in is declared again in a pack (bench/_pack_twins.py is written to a temporary
folder): `d_sin_x2` (a scalar, sympy primal) and `grad_dot` (two vectors of n = 1..6, in
sympy and in numpy form).  One right submission answers all of them; each exercise is graded
alone, `grade FILE --only NAME --jobs 1 --examples N` (with `--pack` for the twins), and the
CPU time of the whole process tree (grader + worker, start-up included) is the figure:
the machine is shared, so wall times are shown only beside the load average.  A second
table isolates what the pack adds: loading it (importing sympy, deriving at the smallest
sizes) in a fresh process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import children_cpu, grade_command, header, spread, table, timed

PACK = """
import numpy as np
import sympy as sp
from matgrade.pack import Pack, anything, scalar, size, vector

pack = Pack("twins")
n = size("n", 1, 6)
pack.add("pack_sin_x2", params=[scalar("x", anything())], sympy=lambda x: sp.sin(x**2),
         task="Return the derivative of sin(x^2).")
pack.add("pack_dot", params=[vector("w", n), vector("x", n)], value=scalar("y"),
         sympy=lambda w, x: sum(a * b for a, b in zip(w, x)), task="Return (dy/dw, dy/dx) of y = w . x.")
pack.add("pack_dot_np", params=[vector("w", n), vector("x", n)], value=scalar("y"),
         numpy=lambda w, x: float(w @ x), derivative=lambda w, x: (x.copy(), w.copy()),
         task="Return (dy/dw, dy/dx) of y = w . x.")
"""

ANSWERS = """
import math
import numpy as np


def d_sin_x2(x):
    return 2 * x * math.cos(x**2)


def grad_dot(w, x):
    return x.copy(), w.copy()


pack_sin_x2 = d_sin_x2
pack_dot = grad_dot
pack_dot_np = grad_dot
"""

PAIRS = (("d_sin_x2", "pack_sin_x2"), ("grad_dot", "pack_dot"), ("grad_dot", "pack_dot_np"))


IN_PROCESS = """
import resource, sys
from grader.checking import plan
from grader.grading import Options, grade

answers, pack, examples, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
PAIRS = eval(sys.argv[5])  # the bench's own literal


def cpu():
    return sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))


for builtin, twin in PAIRS:
    for name in (builtin, twin):
        options = Options(only=(name,), packs=(pack,), examples=examples, jobs=1)
        grade(answers, options)  # warm: imports, the pack loaded, sympy's derivations cached
        spent = []
        for _ in range(runs):
            plan._PLANS.clear()  # the inputs drawn again, as for a first submission
            before = cpu()
            assert grade(answers, options).exit_code == 0
            spent.append(cpu() - before)
        print(name, *spent)
"""


def _in_process(answers: Path, pack: Path, examples: int, runs: int) -> dict[str, list[float]]:
    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(answers), str(pack), str(examples), str(runs), repr(PAIRS)],
        check=True,
        capture_output=True,
        text=True,
    )
    found = {}
    for line in done.stdout.splitlines():
        name, *values = line.split()
        found[name] = [float(v) for v in values]
    return found


def _load_cpu(pack: Path) -> float:
    code = f"from grader.pack import load_pack; load_pack({str(pack)!r})"
    before = children_cpu()
    subprocess.run([sys.executable, "-c", code], check=True)
    return children_cpu() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--examples", type=int, default=100)
    args = parser.parse_args()
    header("exercise packs: a pack exercise vs the built-in one of the same size")
    with tempfile.TemporaryDirectory() as folder:
        pack = Path(folder) / "twins.py"
        pack.write_text(PACK)
        answers = Path(folder) / "answers.py"
        answers.write_text(ANSWERS)
        base = [*grade_command(), str(answers), "--jobs", "1", "--examples", str(args.examples)]
        rows = []
        for builtin, twin in PAIRS:
            cpu: dict[str, list[float]] = {builtin: [], twin: []}
            wall: dict[str, list[float]] = {builtin: [], twin: []}
            for _ in range(args.runs):
                for name, extra in ((builtin, []), (twin, ["--pack", str(pack)])):
                    w, c, code = timed([*base, "--only", name, *extra], stdout=subprocess.DEVNULL)
                    if code != 0:
                        raise SystemExit(f"{name}: exit {code}")
                    cpu[name].append(c)
                    wall[name].append(w)
            rows.append(
                [
                    f"`{builtin}` vs `{twin}`",
                    spread(cpu[builtin]),
                    spread(cpu[twin]),
                    spread(wall[builtin]),
                    spread(wall[twin]),
                ]
            )
        print(
            table(
                ["exercises", "built-in CPU s", "pack CPU s", "built-in wall s", "pack wall s"],
                rows,
            )
        )
        graded = _in_process(answers, pack, args.examples, args.runs)
        print()
        print(
            table(
                ["exercises (grading alone, one process, inputs drawn anew)", "built-in CPU s", "pack CPU s"],
                [[f"`{b}` vs `{t}`", spread(graded[b]), spread(graded[t])] for b, t in PAIRS],
            )
        )
        loads = [_load_cpu(pack) for _ in range(args.runs)]
        print()
        print(table(["what", "CPU s"], [["loading the pack of 3 exercises (imports sympy)", spread(loads)]]))
        print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
