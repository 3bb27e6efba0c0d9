"""Real libraries in the worker: torch, jax, scipy and matplotlib import and run under its limits.

A student checks hand-derived gradients with torch or jax, uses scipy, plots with matplotlib.
Each test grades such a submission through the public API, confined as the machine allows
(as root: the private file system, user and network of docs/security.md).  A test of a library
that is not installed is skipped, saying how to install it (`pip install 'matgrade[torch]'`);
the tests without a third-party library show the mechanisms (devices, load time, memory) on
any machine.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader.grading import Options, grade
from grader.report import Report
from grader.sandbox import Limits
from grader.timing import PHASES

pytestmark = pytest.mark.slow  # imports torch and jax in the sandbox

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED = 20261122


def need(module: str, extra: str) -> None:
    """Skip, saying why, when `module` cannot be imported in this Python."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed: pip install 'matgrade[{extra}]' to run this test")


def write(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "submission.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def run(
    path: Path, only: tuple[str, ...] | None = None, limits: Limits | None = None, examples: int = 10
) -> Report:
    options = Options(seed=SEED, examples=examples, only=only or (), jobs=1, limits=limits or Limits())
    return grade(str(path), options)


def statuses(report: Report) -> dict[str, str]:
    return {r.name: r.status for r in report.exercises}


def explain(report: Report) -> str:
    lines = [*report.errors]
    for result in report.exercises:
        if result.status != "passed":
            lines.append(f"{result.name}: {result.status} {result.message}")
            for identity in result.identities:
                first = identity.message.splitlines()[0] if identity.message else ""
                lines.append(f"  {identity.name}: {first}")
    return "\n".join(lines)


# -- torch ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_student_answering_every_exercise_with_torch_autograd_scores_41_of_41():
    """torch imports in the worker (devices, memory, load time) and its autograd agrees with the reference."""
    need("torch", "torch")
    report = grade(str(CORPUS / "torch_autograd.py"), Options(seed=SEED, examples=20, jobs=1))
    assert report.loaded, report.errors
    assert (report.score, report.max_score) == (41, 41), explain(report)
    assert report.status == "passed"


@pytest.mark.slow
def test_the_torch_student_scores_41_of_41_as_root_without_cap_sys_admin():
    """As in a default Docker container (no namespaces, no private file system): 41/41 still."""
    need("torch", "torch")
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv (util-linux) to drop CAP_SYS_ADMIN")
    drop = ["setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin"]
    command = [*drop, sys.executable, "-m", "grader.cli", str(CORPUS / "torch_autograd.py")]
    done = subprocess.run(
        [*command, "--format", "json", "--seed", str(SEED), "--examples", "20"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["score"], report["max_score"]) == (41, 41)
    assert any("no private file system" in note for note in report["notes"]), report["notes"]


# -- jax -----------------------------------------------------------------------------------

JAX_STUDENT = """
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)

    def grad_3x2y(x, y):
        return jax.grad(lambda v: 3 * v[0] ** 2 * v[1])(jnp.array([x, y]))

    def jacobian_2x_y3(x, y):
        return jax.jacrev(lambda v: jnp.stack([2 * v[0] + v[1] ** 3, jnp.exp(v[1]) - 13 * v[0]]))(
            jnp.array([x, y])
        )
"""


@pytest.mark.slow
def test_a_jax_student_passes_when_the_worker_may_start_jax_s_threads(tmp_path):
    """jax's CPU client starts about 16 threads; with `processes=32` its grad and jacrev are graded."""
    need("jax", "jax")
    only = ("grad_3x2y", "jacobian_2x_y3")
    report = run(write(tmp_path, JAX_STUDENT), only, Limits(processes=32))
    assert statuses(report) == dict.fromkeys(only, "passed"), explain(report)


# -- scipy and matplotlib ------------------------------------------------------------------


def test_a_scipy_student_passes(tmp_path):
    """scipy.special and scipy.linalg import and run in the worker."""
    need("scipy", "libraries")
    student = """
        import numpy as np
        from scipy.linalg import block_diag
        from scipy.special import expit

        def sigmoid_prime(z):
            s = expit(z)
            return s * (1 - s)

        def jacobian_identity(x):
            return block_diag(*np.ones(len(x)))
    """
    only = ("sigmoid_prime", "jacobian_identity")
    report = run(write(tmp_path, student), only)
    assert statuses(report) == dict.fromkeys(only, "passed"), explain(report)


def test_a_matplotlib_student_that_plots_and_saves_a_figure_passes(tmp_path):
    """pyplot imports with the Agg backend and writes its cache and a PNG in the scratch directory."""
    need("matplotlib", "libraries")
    student = """
        import os
        import matplotlib
        import matplotlib.pyplot as plt
        import numpy as np

        xs = np.linspace(-2, 2, 50)
        plt.plot(xs, np.cos(xs**2) * 2 * xs)
        plt.savefig("derivative.png")
        assert matplotlib.get_backend().lower() == "agg", matplotlib.get_backend()
        assert os.path.getsize("derivative.png") > 1000
        assert os.environ["MPLCONFIGDIR"].startswith(os.environ["HOME"])

        def d_sin_x2(x):
            return np.cos(x**2) * 2 * x
    """
    report = run(write(tmp_path, student), ("d_sin_x2",))
    assert report.loaded, report.errors
    assert statuses(report) == {"d_sin_x2": "passed"}, explain(report)


# -- what libraries do at import, without a third-party library ---------------------------


def test_a_helper_library_that_opens_dev_urandom_and_dev_null_at_import_loads(tmp_path):
    """A module the student imports reads /dev/urandom and writes /dev/null at import (as torch's does)."""
    student = """
        import os
        import sys

        with open("seeded.py", "w") as module:  # the student's own helper, in the scratch directory
            module.write(
                "with open('/dev/urandom', 'rb') as source:\\n"
                "    SEED = source.read(16)\\n"
                "with open('/dev/null', 'w') as sink:\\n"
                "    sink.write('import-time noise')\\n"
            )
        sys.path.insert(0, os.getcwd())
        import seeded

        def d_x_plus_x2(x):
            return 1 + 2 * x + 0 * len(seeded.SEED)
    """
    report = run(write(tmp_path, student), ("d_x_plus_x2",))
    assert report.loaded, report.errors
    assert statuses(report) == {"d_x_plus_x2": "passed"}, explain(report)


def test_a_slow_import_is_charged_to_the_load_limit_not_to_the_first_call(tmp_path, monkeypatch):
    """Top-level work of 3 s (torch's import takes 1-5 s) loads within load_seconds; the 2 s calls
    pass; with timing on, the JSON report says how long the load took."""
    monkeypatch.setattr(PHASES, "on", True)
    student = """
        import time

        _until = time.monotonic() + 3.0
        while time.monotonic() < _until:  # busy, as an import is
            pass

        def d_x_plus_x2(x):
            return 1 + 2 * x
    """
    report = run(write(tmp_path, student), ("d_x_plus_x2",), Limits(call_seconds=2.0, load_seconds=10.0))
    assert report.loaded, report.errors
    assert statuses(report) == {"d_x_plus_x2": "passed"}, explain(report)
    assert 3.0 <= report.to_dict()["timing"]["load_seconds"] < 11.0  # loaded: within the limit


def test_the_json_report_has_no_load_time_unless_timing_is_on(tmp_path, monkeypatch):
    """Wall time would make the JSON differ between runs of one seed: it is written only when asked."""
    monkeypatch.setattr(PHASES, "on", False)
    report = run(write(tmp_path, "def d_x_plus_x2(x):\n    return 1 + 2 * x\n"), ("d_x_plus_x2",))
    assert report.load_seconds is None
    assert "timing" not in report.to_dict()


def test_address_space_reserved_but_not_written_does_not_count_against_memory(tmp_path):
    """2 GiB reserved inaccessible (as jax and torch do) load under the 1 GiB memory limit."""
    student = """
        import mmap

        RESERVED = mmap.mmap(-1, 2 << 30, flags=mmap.MAP_PRIVATE, prot=0)  # PROT_NONE

        def d_x_plus_x2(x):
            return 1 + 2 * x + 0 * len(RESERVED)
    """
    report = run(write(tmp_path, student), ("d_x_plus_x2",), Limits(memory_mb=1024))
    assert report.loaded, report.errors
    assert statuses(report) == {"d_x_plus_x2": "passed"}, explain(report)


@pytest.mark.parametrize(
    "bomb",
    [
        "bytearray(10**10)",
        "np.zeros(5 * 10**9 // 8)",
        "[b' ' * 10**6 for _ in range(10**5)]",  # a growing list of 1 MB each, written
        "np.ones(512 * 2**20 // 8)",  # written, and within the address-space backstop: RLIMIT_DATA stops it
        "mmap.mmap(-1, 4 << 30)",  # shared: not counted as data, stopped by the address-space backstop
        "mmap.mmap(-1, 4 << 30, flags=mmap.MAP_PRIVATE)",
    ],
)
def test_a_memory_bomb_is_still_stopped_with_a_memory_error(tmp_path, bomb):
    """Each way of taking 4-100 GB fails at the memory limit; the exercise is an error, nothing is killed.

    The limit is 128 MiB and the call's time 60 s, so that writing up to the limit ends in
    MemoryError, never in a timeout, also on a loaded machine.
    """
    student = f"""
        import mmap
        import numpy as np

        def d_x_plus_x2(x):
            hoard = {bomb}
            return 1 + 2 * x + 0 * len(hoard)
    """
    limits = Limits(memory_mb=128, call_seconds=60)
    report = run(write(tmp_path, student), ("d_x_plus_x2",), limits, examples=1)
    [result] = report.exercises
    assert result.status == "error"
    assert "MemoryError" in result.message or "Cannot allocate memory" in result.message, result.message
