"""The wheels of an offline bundle: matgrade's dependencies, pip and setuptools, for the image's Python.

`grade bundle gradescope --offline` puts them in the zip's `wheels/`, and setup.sh installs from
there alone (`pip install --no-index --find-links wheels/`), so that the image can be built
without a package index.  The wheels are chosen for the target, not for this machine: CPython
`python` (default 3.11, Debian 12's; Ubuntu 22.04 gets it with apt) on Linux (manylinux, glibc
2.17 to 2.35, Ubuntu 22.04's) for this machine's architecture; only binary wheels, so that
nothing is built there.  pip downloads them (the network is needed here, once).
"""

from __future__ import annotations

import platform
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from grader.errors import GraderError, UsageError

__all__ = ["DEFAULT_PYTHON", "Wheel", "download_wheels"]

DEFAULT_PYTHON = "3.11"
_BUILD = ("pip", "setuptools>=77")  # pip installs itself from its wheel; setuptools builds matgrade/
_GLIBC = range(17, 36)  # manylinux_2_17 (manylinux2014) .. manylinux_2_35 (Ubuntu 22.04)
_TIMEOUT = 900


@dataclass(frozen=True, slots=True)
class Wheel:
    """One downloaded wheel: its file name and bytes."""

    name: str
    data: bytes


def _requirements() -> list[str]:
    """matgrade's own dependencies (no extras), from its installed distribution."""
    try:
        requires = metadata.distribution("matgrade").requires or []
    except metadata.PackageNotFoundError:
        raise GraderError(
            "cannot make an offline bundle: matgrade is not installed as a distribution; "
            "install it (pip install /path/to/matgrade) and run `grade bundle` again"
        ) from None
    return [r for r in requires if "extra" not in r.partition(";")[2]]


def _platforms(machine: str) -> list[str]:
    tags = [f"manylinux_2_{minor}_{machine}" for minor in _GLIBC]
    return [f"manylinux2014_{machine}", *tags]


def download_wheels(python: str, constraints: str) -> list[Wheel]:
    """The wheels, sorted by name, for CPython `python` ("3.11"), pinned by `constraints`'s text.

    Raises UsageError for a malformed version and GraderError when pip cannot download them.
    """
    if not re.fullmatch(r"3\.\d{1,2}", python):
        raise UsageError(f"--python {python!r}: give the image's Python as 3.X, e.g. 3.11")
    machine = platform.machine() or "x86_64"
    with tempfile.TemporaryDirectory(prefix="matgrade-wheels-") as folder:
        pins = Path(folder) / "constraints.txt"
        pins.write_text(constraints, encoding="utf-8")
        target = Path(folder) / "wheels"
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
        command += ["--only-binary=:all:", "--implementation", "cp", "--python-version", python]
        for tag in _platforms(machine):
            command += ["--platform", tag]
        command += ["-d", str(target), "-c", str(pins), *_BUILD, *_requirements()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise GraderError(
                f"cannot make an offline bundle: pip took over {_TIMEOUT} s to download the wheels; "
                "check the network and try again"
            ) from None
        if done.returncode != 0:
            said = (done.stderr.strip().splitlines() or ["(nothing)"])[-1]
            raise GraderError(
                f"cannot make an offline bundle: pip could not download the wheels for Python {python} "
                f"on {machine} ({said}); check the network, or build a bundle without --offline"
            )
        return [Wheel(path.name, path.read_bytes()) for path in sorted(target.glob("*.whl"))]
