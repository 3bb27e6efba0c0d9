"""What every benchmark of bench/ shares: the machine and versions, medians, tables, submissions.

Each script prints a header (machine, versions, load) and ends with a Markdown table that
can be pasted into docs/performance.md as it is.
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The commands measured run as after an install: Python keeps the bytecode it compiles
# (PYTHONDONTWRITEBYTECODE, set in some CI and sandbox shells, would make every run compile
# matgrade's modules again: about 0.05 s of CPU for `grade FILE`, 0.01 s for `grade --help`).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
WRONG = ROOT / "tests" / "corpus" / "wrong"
CORRECT = ROOT / "examples" / "correct.py"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions() -> str:
    import click
    import hypothesis
    import numpy
    import sympy

    import grader

    return (
        f"matgrade {grader.__version__}, Python {platform.python_version()}, "
        f"hypothesis {hypothesis.__version__}, numpy {numpy.__version__}, sympy {sympy.__version__}, "
        f"click {click.__version__}"
    )


def header(title: str) -> None:
    """Print what was measured, on what, and how busy the machine was."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cpus = os.cpu_count() or 1
    print(f"# {title}")
    print(f"machine: {platform.system()} {platform.machine()}, {_cpu_model()}, {cpus} CPUs")
    print(f"versions: {versions()}")
    busy = "  (busy machine: figures are not precise)" if load > 0.5 * cpus else ""
    print(f"load average at start: {load:.2f}{busy}")
    if "PYTHONDONTWRITEBYTECODE" in os.environ:
        print("PYTHONDONTWRITEBYTECODE is set here; the commands measured run without it (bytecode kept)")
    print(flush=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float], digits: int = 2) -> str:
    """'1.23 (1.20-1.31)': the median and the range of the runs."""
    return f"{median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: Sequence[str], **kwargs: object) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the process and its children, exit code) of a command."""
    before = children_cpu()
    started = time.perf_counter()
    kwargs.setdefault("env", ENV)
    done = subprocess.run(list(command), check=False, **kwargs)  # type: ignore[call-overload]
    wall = time.perf_counter() - started
    return wall, children_cpu() - before, int(done.returncode)


def grade_command() -> list[str]:
    """The installed `grade` script next to this Python, else `python -m grader.cli`."""
    script = Path(sys.executable).with_name("grade")
    if script.exists():
        return [str(script)]
    found = shutil.which("grade")
    return [found] if found else [sys.executable, "-m", "grader.cli"]


def all_wrong(path: Path) -> list[str]:
    """Write a submission in which every exercise is wrong: the first classic wrong answer of each.

    Taken from tests/corpus/wrong/ (one file per wrong answer), functions only (formula
    answers are skipped).  Returns the names of the exercises it answers.
    """
    from exercises import all_exercises

    parts, names = [], []
    for exercise in all_exercises():
        for file in sorted(WRONG.glob(f"{exercise.name}__*.py")):
            source = file.read_text(encoding="utf-8")
            if f"def {exercise.name}(" in source:
                parts.append(f"# ---- {file.name}\n{source}")
                names.append(exercise.name)
                break
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return names
