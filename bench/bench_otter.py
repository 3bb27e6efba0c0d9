"""Benchmark 9, the peer: Otter-Grader on a 3-function notebook, against matgrade in the same run.

Run:  python bench/bench_otter.py [--runs 5] [--otter-python PYTHON]

Otter-Grader (otter-grader on PyPI) is not a dependency of matgrade and this script installs
nothing: it uses Otter from PYTHON (--otter-python, e.g. a separate venv made with
`python -m venv /work/otter-venv && /work/otter-venv/bin/pip install otter-grader ipykernel`),
else from this Python if `import otter` works, else it prints a skip line and exits 0.

The notebook is bench/otter/three.ipynb: grad_dot, neuron_grad and mse_grad as in
examples/correct.py.  Otter's tests are bench/otter/tests/ (OK format: 3 doctest cases per
function, one hidden, each comparing with the closed form on fixed inputs).  `otter generate`
builds the autograder zip once (not timed); then each run, in turns so that all three meet
the same load:
- `otter run -a autograder.zip three.ipynb` (Otter's grading without Docker: the notebook run
  in a Jupyter kernel, then its tests; what Gradescope's container runs), checked to score 3/3;
- `grade examples/correct.py` (41 exercises x 100 examples, 2 jobs), checked to exit 0;
- `grade three.ipynb --only grad_dot --only neuron_grad --only mse_grad` (3 x 100), exit 0.
Wall and CPU (user+sys of the process and everything under it) are medians of --runs; the
ratios are matgrade's over Otter's.  Target (issue 20): `grade examples/correct.py` at most
0.33x Otter's 3-function notebook.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import CORRECT, ENV, ROOT, grade_command, header, median, table, timed

OTTER = ROOT / "bench" / "otter"
NOTEBOOK = OTTER / "three.ipynb"
FUNCTIONS = ("grad_dot", "neuron_grad", "mse_grad")


def otter_python(given: str | None) -> str | None:
    """The Python that has Otter: --otter-python, else this one if it imports otter, else None.

    Otter runs the notebook in a Jupyter kernel: ipykernel must be there too.
    """
    python = given or sys.executable
    probe = subprocess.run([python, "-c", "import otter, ipykernel"], capture_output=True, check=False)
    if probe.returncode == 0:
        return python
    if given:
        failed = probe.stderr.decode()
        raise SystemExit(f"--otter-python {given}: `import otter, ipykernel` fails there:\n{failed}")
    return None


def otter_score(results: Path) -> float:
    """The total score of Otter's results.json (Gradescope's format)."""
    tests = json.loads(results.read_text(encoding="utf-8"))["tests"]
    return sum(float(test.get("score") or 0.0) for test in tests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--otter-python", help="a Python with otter-grader and ipykernel installed")
    args = parser.parse_args()
    header("the peer: Otter-Grader")
    python = otter_python(args.otter_python)
    if python is None:
        print("skipped: otter-grader (with ipykernel) is not importable here; install it in a separate "
              "venv (pip install otter-grader ipykernel) and pass its python with --otter-python")
        return
    version = subprocess.run([python, "-c", "import otter; print(otter.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    print(f"Otter-Grader {version} from {python}")
    grade = grade_command()
    only = [part for name in FUNCTIONS for part in ("--only", name)]
    with tempfile.TemporaryDirectory(prefix="matgrade-bench-otter-") as scratch:
        base = Path(scratch)
        zip_path = base / "autograder.zip"
        subprocess.run(
            [python, "-m", "otter", "generate", "-t", str(OTTER / "tests"), "-o", str(zip_path),
             "--no-config", "--no-requirements", "--no-environment"],
            cwd=base, check=True, capture_output=True, env=ENV,
        )
        commands = {
            "Otter: `otter run` of the 3-function notebook": (
                [python, "-m", "otter", "run", "--no-logo", "-a", str(zip_path), "-o", str(base / "out"),
                 str(NOTEBOOK)], (0,)),
            "matgrade: `grade examples/correct.py` (41 exercises)": ([*grade, str(CORRECT)], (0,)),
            "matgrade: `grade` of the 3-function notebook": ([*grade, str(NOTEBOOK), *only], (0,)),
        }
        for command, _ in commands.values():  # warm-up: the file cache, bytecode, Otter's kernel spec
            subprocess.run(command, cwd=base, capture_output=True, env=ENV, check=False)
        measured: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
        loads = []
        for run in range(args.runs):
            loads.append(os.getloadavg()[0])
            for label, (command, codes) in commands.items():
                (base / "out").mkdir(exist_ok=True)
                wall, cpu, code = timed(command, cwd=base, capture_output=True)
                if code not in codes:
                    raise SystemExit(f"{' '.join(command)} exited with {code}")
                if label.startswith("Otter"):
                    score = otter_score(base / "out" / "results.json")
                    if score != 3.0:
                        raise SystemExit(f"Otter scored {score}, not 3/3: its run is not the one meant")
                measured[label].append((wall, cpu))
            print(f"run {run + 1}: " + "; ".join(
                f"{label.split(':')[0]} {wall:.2f} s wall, {cpu:.2f} s CPU"
                for label, [*_, (wall, cpu)] in measured.items()), flush=True)
    walls = {label: median([w for w, _ in runs]) for label, runs in measured.items()}
    cpus = {label: median([c for _, c in runs]) for label, runs in measured.items()}
    otter = next(iter(commands))
    print(f"\n{args.runs} runs each, in turns; load average at each run's start: "
          + ", ".join(f"{load:.2f}" for load in loads) + "\n")
    rows = [
        (label, f"{walls[label]:.2f} s", f"{cpus[label]:.2f} s",
         f"{walls[label] / walls[otter]:.2f}x", f"{cpus[label] / cpus[otter]:.2f}x")
        for label in commands
    ]
    print(table(["command", "median wall", "median CPU", "wall vs Otter", "CPU vs Otter"], rows))
    label = "matgrade: `grade examples/correct.py` (41 exercises)"
    ratio, cpu_ratio = walls[label] / walls[otter], cpus[label] / cpus[otter]
    print(f"\ntarget grade examples/correct.py <= 0.33x Otter's 3-function notebook: "
          f"{'met' if ratio <= 0.33 else 'missed'} ({ratio:.2f}x wall, {cpu_ratio:.2f}x CPU)")


if __name__ == "__main__":
    main()
