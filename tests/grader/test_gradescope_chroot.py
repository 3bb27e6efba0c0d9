"""The Gradescope bundle run as Gradescope runs it: setup.sh then run_autograder, as root, in a
fresh root file system (debootstrap, minbase) that has nothing but the stock packages: Ubuntu
22.04 (Gradescope's base image, its apt sources as in Docker's ubuntu:22.04) and Debian 12.

Each root is built once (`debootstrap --variant=minbase jammy|bookworm`; Ubuntu's archive key
taken from its keyring package and checked against its pinned fingerprint) into a cache folder
(MATGRADE_ROOTS, default /var/cache/matgrade-ci) and copied for every image and every
submission, so that no run sees another's files.  Each command runs in a
private mount namespace (proc, dev and sys mounted there, gone with the process), chrooted,
with an empty environment, and with `--offline` also in a network namespace of its own (no
network at all).  setup.sh installs Python with apt and matgrade's dependencies from PyPI, as
Gradescope's image build does.  docs/platforms.md has the times measured and what differs
from Gradescope's Ubuntu 22.04 image.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grader.assignment import load_assignment
from tests.grader.bundlekit import (
    CORRECT,
    EMAIL,
    SLOW_TO_LOAD,
    WRONG,
    assignment,
    extract,
    gradescope_zip,
    prairielearn_folder,
    submit_to,
)

pytestmark = pytest.mark.slow

ASSIGNMENT = assignment("Gradescope in a clean root", visibility={"d_ln_sin_x3_sq": "after_due_date"})
# Everything a student might try from inside the grader: each attempt prints what happened.
HOSTILE = """import math
import os
import signal
import sys

print("uid", os.getuid(), "euid", os.geteuid())
try:
    with open("/autograder/results/results.json", "w") as forged:
        forged.write('{"score": 100, "tests": []}')
    print("forged results.json")
except OSError as exc:
    print("results.json refused:", type(exc).__name__)
try:
    with open("/autograder/source/assignment.toml") as secret:
        print("read the assignment:", secret.read()[:20])
except OSError as exc:
    print("assignment refused:", type(exc).__name__)
try:
    os.kill(os.getppid(), signal.SIGKILL)
    print("killed my parent")
except OSError as exc:
    print("kill refused:", type(exc).__name__)
if os.fork() == 0:
    while True:
        pass


def d_sin_x2(x):
    return 2 * x * math.cos(x**2)


def d_ln_sin_x3_sq(x):
    sys.exit(0)
"""
CACHE = Path(os.environ.get("MATGRADE_ROOTS", "/var/cache/matgrade-ci"))


@dataclass(frozen=True)
class Base:
    """A stock root file system made with debootstrap: a release, its archive, its apt sources."""

    name: str
    release: str
    mirror: str
    sources: str | None = None  # sources.list as the platform's image has it; None: debootstrap's
    key: str | None = None  # the archive key's fingerprint, when Debian's keyring lacks it


UBUNTU = "http://archive.ubuntu.com/ubuntu"
BASES = {
    # Gradescope's base image: Ubuntu 22.04, apt sources as in Docker's ubuntu:22.04 image.
    "ubuntu-22.04": Base(
        "ubuntu-22.04",
        "jammy",
        UBUNTU,
        sources="".join(
            f"deb {UBUNTU} {suite} main restricted universe multiverse\n"
            for suite in ("jammy", "jammy-updates", "jammy-security")
        ),
        key="F6ECB3762474EDA9D21B7022871920D1991BC93C",  # Ubuntu Archive Automatic Signing Key (2018)
    ),
    # The machine's own release, whose python3 is already 3.11.
    "debian-12": Base("debian-12", "bookworm", "http://deb.debian.org/debian"),
}
UBUNTU_KEYRING = f"{UBUNTU}/pool/main/u/ubuntu-keyring/ubuntu-keyring_2021.03.26_all.deb"
HOST_CA = "/etc/ssl/matgrade-ci-host-ca.crt"
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
FORMATS = ("text", "html", "simple_format", "md", "ansi")
# Gradescope's results.json (autograder specs): the top-level fields and those of a test.
TOP_FIELDS = {
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
}
TEST_FIELDS = {
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
}
# Inside the chroot: a private mount namespace, the root a mount point (as a container's is),
# proc, dev and sys mounted; then chroot with an empty environment plus the variables given.
IN_ROOT = r"""
set -e
root=$0
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --rbind /sys "$root/sys"
exec $CONFINE chroot "$root" "$@"
"""
# Docker's default: no CAP_SYS_ADMIN (so no namespaces or mounts for the worker).
WITHOUT_SYS_ADMIN = "setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin"
TIMES: dict[str, tuple[float, float]] = {}  # base: what -> (wall s, CPU s of the process tree)
NOW = {"base": ""}  # the base whose tests are running, for the names in TIMES


def missing_tools() -> str | None:
    """Why the chroot cannot be made here, or None."""
    if os.geteuid() != 0:
        return "needs root (chroot, mounts and namespaces)"
    for tool in ("unshare", "chroot", "mount", "setpriv"):
        if shutil.which(tool) is None:
            return f"needs {tool} (util-linux)"
    if shutil.which("debootstrap") is None and not any(CACHE.glob("*/usr/bin/apt-get")):
        return f"needs debootstrap (apt-get install debootstrap) or the roots in {CACHE}"
    return None


def host_ca() -> Path | None:
    """The certificate bundle this machine's pip trusts, when one is configured (a TLS proxy)."""
    named = os.environ.get("PIP_CERT")
    if not named:
        import configparser

        config = configparser.ConfigParser()
        config.read(["/etc/pip.conf", os.path.expanduser("~/.config/pip/pip.conf")])
        named = config.get("global", "cert", fallback=None)
    return Path(named) if named and Path(named).is_file() else None


def timed(what: str, command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """subprocess.run, its wall time and the CPU time of its process tree kept in TIMES."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    TIMES[f"{NOW['base']}: {what}"] = (time.monotonic() - start, cpu)
    return done


def in_root(
    what: str,
    root: Path,
    command: str,
    *,
    network: bool = True,
    env: dict[str, str] | None = None,
    timeout: float = 1200,
    sys_admin: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `command` (bash) as root in the chroot `root`, with or without any network, and
    with or without CAP_SYS_ADMIN."""
    variables = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
    variables |= {"HOME": "/root", "LANG": "C.UTF-8", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    if (root / HOST_CA.lstrip("/")).exists():
        variables["PIP_CERT"] = HOST_CA
    variables |= env or {}
    unshare = ["unshare", "--mount", "--propagation", "private", *([] if network else ["--net"])]
    inner = ["env", "-i", *(f"{k}={v}" for k, v in variables.items()), "bash", "-c", command]
    confine = "" if sys_admin else WITHOUT_SYS_ADMIN
    command_line = ["env", f"CONFINE={confine}", "bash", "-c", IN_ROOT, str(root), *inner]
    return timed(what, [*unshare, *command_line], timeout=timeout)


def no_mounts_under(root: Path) -> bool:
    with open("/proc/self/mounts") as mounts:
        return not any(line.split()[1].startswith(str(root)) for line in mounts)


@pytest.fixture(scope="module")
def workspace(stock: Path) -> Iterator[Path]:
    """A folder for the roots of this module, removed at the end (never with a mount inside);
    then the wall and CPU times of every step are printed (docs/platforms.md quotes them)."""
    folder = Path(tempfile.mkdtemp(prefix="matgrade-chroot-"))
    yield folder
    if no_mounts_under(folder):
        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()
    print(f"\nGradescope chroot times (load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}):")
    for what, (wall, cpu) in TIMES.items():
        print(f"  {what:45} wall {wall:7.1f} s   CPU {cpu:7.1f} s")


def archive_key(base: Base, folder: Path) -> Path:
    """A keyring holding only `base.key`, taken from the archive's keyring package and checked by
    its fingerprint (the package comes over plain HTTP; the fingerprint is pinned here)."""
    for tool in ("curl", "dpkg-deb", "gpg"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} to check Ubuntu's archive key")
    deb = folder / "keyring.deb"
    done = timed("keyring", ["curl", "-fsS", "--max-time", "120", "-o", str(deb), UBUNTU_KEYRING])
    if done.returncode != 0:
        pytest.skip(f"cannot download Ubuntu's keyring ({done.stderr.strip()}): is {UBUNTU} reachable?")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(folder / "keyring")], check=True)
    keyring = folder / "keyring" / "usr" / "share" / "keyrings" / "ubuntu-archive-keyring.gpg"
    gpg = ["gpg", "--homedir", str(folder), "--no-default-keyring", "--keyring", str(keyring)]
    exported = subprocess.run([*gpg, "--export", base.key], capture_output=True, check=True).stdout
    assert exported, f"Ubuntu's keyring package lacks the key {base.key}"
    pinned = folder / "archive-key.gpg"
    pinned.write_bytes(exported)
    return pinned


@pytest.fixture(scope="module", params=sorted(BASES))
def stock(request: pytest.FixtureRequest) -> Path:
    """The cached minbase root of the base, made with debootstrap on first use."""
    base = BASES[request.param]
    NOW["base"] = base.name
    reason = missing_tools()
    if reason is not None:
        print(f"skipped: {reason}", file=sys.stderr)
        pytest.skip(reason)
    root = CACHE / f"{base.release}-minbase"
    if not (root / "usr" / "bin" / "apt-get").exists():
        partial = root.with_name(root.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        command = ["debootstrap", "--variant=minbase"]
        with tempfile.TemporaryDirectory(prefix="matgrade-keyring-") as folder:
            if base.key is not None:
                command.append(f"--keyring={archive_key(base, Path(folder))}")
            done = timed("debootstrap", [*command, base.release, str(partial), base.mirror], timeout=1800)
        if done.returncode != 0:
            if base.key is not None:  # a foreign archive may be out of reach: say so, do not fail
                pytest.skip(f"debootstrap of {base.name} from {base.mirror} failed: {done.stderr[-500:]}")
            raise AssertionError(done.stdout[-3000:] + done.stderr[-3000:])
        if base.sources is not None:
            (partial / "etc" / "apt" / "sources.list").write_text(base.sources)
        partial.rename(root)
    return root


def fresh_copy(source: Path, target: Path) -> Path:
    """`source` copied to `target` (cp -a), with this machine's DNS and TLS trust."""
    subprocess.run(["cp", "-a", "--reflink=auto", str(source), str(target)], check=True)
    shutil.copy("/etc/resolv.conf", target / "etc" / "resolv.conf")
    ca = host_ca()
    if ca is not None:
        (target / HOST_CA.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ca, target / HOST_CA.lstrip("/"))
    return target


def bundle(folder: Path, *options: str) -> Path:
    """The Gradescope zip of ASSIGNMENT, built by `grade bundle gradescope` with `options`."""
    return gradescope_zip(folder, ASSIGNMENT, *options)


def unpack(zip_path: Path, root: Path) -> None:
    """The zip into ROOT/autograder/source with its modes (as unzip keeps them); empty submission/."""
    autograder = root / "autograder"
    shutil.rmtree(autograder, ignore_errors=True)
    (autograder / "submission").mkdir(parents=True)
    extract(zip_path, autograder / "source")


def setup(root: Path, *, network: bool = True, what: str = "setup.sh") -> subprocess.CompletedProcess[str]:
    """setup.sh as Gradescope's image build runs it: as root, from /autograder/source."""
    return in_root(what, root, "cd /autograder/source && bash ./setup.sh", network=network)


def submit(root: Path, files: dict[str, str]) -> None:
    """`files` into /autograder/submission, with Gradescope's submission_metadata.json."""
    submit_to(root / "autograder", files)


def run_autograder(
    root: Path,
    *,
    network: bool = True,
    env: dict[str, str] | None = None,
    what: str = "run_autograder",
    sys_admin: bool = True,
) -> dict[str, Any]:
    """/autograder/run_autograder as Gradescope runs it (copied there, as root, from /autograder);
    the results.json, checked against Gradescope's schema."""
    shutil.copy(root / "autograder" / "source" / "run_autograder", root / "autograder" / "run_autograder")
    command = "cd /autograder && ./run_autograder"
    done = in_root(what, root, command, network=network, env=env, sys_admin=sys_admin)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((root / "autograder" / "results" / "results.json").read_text())
    assert schema_errors(results) == []
    return results


def schema_errors(results: Any) -> list[str]:
    """What in `results` breaks Gradescope's results.json specification (empty when nothing)."""

    def number(value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    if not isinstance(results, dict):
        return ["results.json is not an object"]
    errors = [f"unknown field {key!r}" for key in results if key not in TOP_FIELDS]
    if "score" in results and not number(results["score"]):
        errors.append("score is not a number")
    for key in ("output_format", "test_output_format", "test_name_format"):
        if key in results and results[key] not in FORMATS:
            errors.append(f"{key} {results[key]!r} is not one of {FORMATS}")
    for key in ("visibility", "stdout_visibility"):
        if key in results and results[key] not in VISIBILITIES:
            errors.append(f"{key} {results[key]!r}")
    if not isinstance(results.get("output", ""), str):
        errors.append("output is not a string")
    tests = results.get("tests")
    if not isinstance(tests, list):
        return [*errors, "tests is not a list"]
    if "score" not in results and not all(isinstance(t, dict) and "score" in t for t in tests):
        errors.append("no score, and a test without one")
    for i, test in enumerate(tests):
        if not isinstance(test, dict):
            errors.append(f"tests[{i}] is not an object")
            continue
        errors += [f"tests[{i}]: unknown field {key!r}" for key in test if key not in TEST_FIELDS]
        for key in ("score", "max_score"):
            if key in test and not number(test[key]):
                errors.append(f"tests[{i}].{key} is not a number")
        scored = number(test.get("score")) and number(test.get("max_score"))
        if scored and not 0 <= test["score"] <= test["max_score"]:
            errors.append(f"tests[{i}] scores {test['score']} of {test['max_score']}")
        if test.get("status", "passed") not in ("passed", "failed"):
            errors.append(f"tests[{i}].status {test['status']!r}")
        if test.get("visibility", "visible") not in VISIBILITIES:
            errors.append(f"tests[{i}].visibility {test['visibility']!r}")
        for key in ("name", "output", "number"):
            if key in test and not isinstance(test[key], str):
                errors.append(f"tests[{i}].{key} is not a string")
        if "tags" in test and not all(isinstance(tag, str) for tag in test["tags"]):
            errors.append(f"tests[{i}].tags are not strings")
    if number(results.get("score")) and all(number(t.get("score")) for t in tests if isinstance(t, dict)):
        total = sum(t["score"] for t in tests if isinstance(t, dict))
        if abs(total - results["score"]) > 1e-9:
            errors.append(f"score {results['score']} is not the sum of the tests' {total}")
    return errors


def test_the_schema_check_finds_what_gradescope_would_refuse():
    """A wrong visibility, status, format, type or total is reported; the right file passes."""
    good = {
        "score": 1.0,
        "output": "",
        "output_format": "text",
        "visibility": "visible",
        "tests": [{"name": "a", "score": 1.0, "max_score": 2.0, "status": "failed", "visibility": "hidden"}],
    }
    assert schema_errors(good) == []
    assert schema_errors({**good, "visibility": "public"}) == ["visibility 'public'"]
    assert schema_errors({**good, "output_format": "markdown"})
    assert schema_errors({**good, "score": "1"})
    assert schema_errors({**good, "score": 2.0}) == ["score 2.0 is not the sum of the tests' 1.0"]
    assert schema_errors({**good, "tests": [{**good["tests"][0], "status": "error"}]})
    assert schema_errors({**good, "tests": [{**good["tests"][0], "score": 3.0}]})
    assert schema_errors({**good, "points": 1})


@pytest.fixture(scope="module")
def image(stock: Path, workspace: Path) -> Path:
    """The autograder image: the stock root, the bundle in /autograder/source, setup.sh run."""
    root = fresh_copy(stock, workspace / "image")
    unpack(bundle(workspace / "online"), root)
    done = setup(root)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "matgrade, version" in done.stdout
    return root


@pytest.fixture
def container(image: Path, workspace: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A fresh copy of the image for one submission, as Gradescope starts a container per run."""
    root = fresh_copy(image, workspace / f"run-{request.node.name}")
    yield root
    if no_mounts_under(root):
        shutil.rmtree(root, ignore_errors=True)


def scores(results: dict[str, Any]) -> dict[str, tuple[float, str]]:
    return {t["name"]: (t["score"], t["status"]) for t in results["tests"]}


def test_setup_sh_installs_python_and_matgrade_in_a_stock_root(image):
    """After setup.sh the image has a Python >= 3.11 from apt and grade in /autograder/venv."""
    venv = image / "autograder" / "venv"
    assert (venv / "bin" / "grade").exists()
    assert (image / "usr" / "bin" / "python3").exists()
    version = in_root("grade --version", image, "/autograder/venv/bin/grade --version")
    assert version.stdout.startswith("matgrade, version ")


def test_the_image_isolates_student_code_as_on_a_gradescope_container(image):
    """grade doctor in the chroot, as root: the worker is not root, has a private uid, Landlock and
    seccomp, and matgrade will grade other people's code there."""
    done = in_root("grade doctor", image, "/autograder/venv/bin/grade doctor --format json")
    doctor = json.loads(done.stdout)
    layers = {layer["name"]: layer["active"] for layer in doctor["layers"]}
    assert layers["not root"] and layers["private uid"] and layers["Landlock"] and layers["seccomp"]
    assert done.returncode == 0, done.stdout


def test_a_correct_submission_scores_full_marks_with_the_students_seed(container):
    """5/5, every test passed, visibilities as assigned, the seed that of the student's email."""
    submit(container, {"hw1.py": CORRECT})
    results = run_autograder(container, what="run_autograder (correct)")
    assert results["score"] == 5.0
    assert scores(results) == {
        "d_sin_x2 (scalar)": (3.0, "passed"),
        "d_ln_sin_x3_sq (scalar)": (2.0, "passed"),
    }
    assert {t["visibility"] for t in results["tests"]} == {"visible", "after_due_date"}
    seed = load_assignment(str(container / "autograder" / "source" / "assignment.toml")).seed_for(EMAIL)
    assert f"seed {seed}" in results["output"]


def test_a_wrong_submission_loses_the_failing_exercises_points(container):
    """A wrong d_sin_x2: 2/5, its test failed with the counterexample's words."""
    submit(container, {"hw1.py": WRONG})
    results = run_autograder(container, what="run_autograder (wrong)")
    assert results["score"] == 2.0
    assert scores(results) == {
        "d_sin_x2 (scalar)": (0.0, "failed"),
        "d_ln_sin_x3_sq (scalar)": (2.0, "passed"),
    }


def test_a_hostile_submission_runs_unprivileged_and_cannot_forge_or_read(container):
    """It runs as an unprivileged uid, cannot write results.json, read the assignment or kill the
    grader; its fork is killed, and its sys.exit costs only its own exercise: 3/5."""
    submit(container, {"hw1.py": HOSTILE})
    results = run_autograder(container, what="run_autograder (hostile)")
    output = results["output"]
    uid = int(output.split("uid ", 1)[1].split()[0])
    assert uid != 0
    assert "results.json refused" in output and "forged" not in output
    assert "assignment refused" in output and "read the assignment" not in output
    assert "kill refused" in output
    assert results["score"] == 3.0
    assert scores(results) == {
        "d_sin_x2 (scalar)": (3.0, "passed"),
        "d_ln_sin_x3_sq (scalar)": (0.0, "failed"),
    }
    assert "SystemExit: 0" in results["tests"][1]["output"]
    leftover = subprocess.run(["pgrep", "-U", str(uid)], capture_output=True, text=True)
    assert leftover.stdout == ""


def test_without_cap_sys_admin_as_in_a_default_docker_container_the_hostile_file_is_held_too(container):
    """Without CAP_SYS_ADMIN (no private file system): the uid is still private, Landlock refuses
    results.json and the assignment, the parent cannot be killed, and the score is 3/5."""
    submit(container, {"hw1.py": HOSTILE})
    results = run_autograder(container, what="run_autograder (hostile, no CAP_SYS_ADMIN)", sys_admin=False)
    output = results["output"]
    assert int(output.split("uid ", 1)[1].split()[0]) != 0
    assert "results.json refused" in output and "assignment refused" in output and "kill refused" in output
    assert results["score"] == 3.0


def test_a_notebook_submission_is_graded_like_the_file(container):
    """One .ipynb with the answers in a code cell: 5/5."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    notebook = new_notebook(cells=[new_markdown_cell("# hw1"), new_code_cell(CORRECT)])
    submit(container, {"hw1.ipynb": nbformat.writes(notebook)})
    results = run_autograder(container, what="run_autograder (notebook)")
    assert results["score"] == 5.0


def test_an_empty_submission_scores_zero_with_every_exercise_and_a_message(container):
    """No file: 0 of 5, both exercises listed, and what to upload."""
    submit(container, {})
    results = run_autograder(container, what="run_autograder (empty)")
    assert results["score"] == 0 and sum(t["max_score"] for t in results["tests"]) == 5.0
    assert "No .py file was submitted: upload your solution" in results["output"]


def test_a_grader_killed_by_the_time_limit_still_leaves_results_with_the_reason(container):
    """A file that takes a minute to load, under a 5 s limit: `grade` is killed, results.json
    gives 0 of 5 and says the time limit was passed."""
    submit(container, {"hw1.py": SLOW_TO_LOAD})
    results = run_autograder(container, env={"MATGRADE_TIME_LIMIT": "5"}, what="run_autograder (killed)")
    assert results["score"] == 0 and len(results["tests"]) == 2
    assert "Grading took longer than 5 seconds" in results["output"]


def test_without_network_an_online_bundle_fails_setup_saying_to_use_offline(image, workspace):
    """setup.sh with no network (Python already in the image) exits non-zero naming --offline;
    run_autograder then gives every exercise 0 and tells the student to tell the instructor."""
    root = fresh_copy(image, workspace / "no-network")
    shutil.rmtree(root / "autograder" / "venv")
    unpack(bundle(workspace / "online"), root)
    done = setup(root, network=False, what="setup.sh (no network)")
    assert done.returncode != 0
    assert "grade bundle gradescope --offline" in done.stderr
    submit(root, {"hw1.py": CORRECT})
    results = run_autograder(root, network=False)
    assert results["score"] == 0 and len(results["tests"]) == 2
    assert "The autograder is not set up" in results["output"] and "tell your instructor" in results["output"]


@pytest.fixture(scope="module")
def offline_zip(workspace: Path) -> Path:
    return bundle(workspace / "offline", "--offline")


def test_an_offline_bundle_installs_and_grades_with_no_network_at_all(image, workspace, offline_zip):
    """The image's Debian python3, the offline zip, setup.sh and run_autograder in a network
    namespace with no interface up: matgrade installs from wheels/ and grades 5/5."""
    root = fresh_copy(image, workspace / "offline-image")
    shutil.rmtree(root / "autograder" / "venv")
    unpack(offline_zip, root)
    done = setup(root, network=False, what="setup.sh (offline bundle, no network)")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "matgrade, version" in done.stdout
    submit(root, {"hw1.py": CORRECT})
    results = run_autograder(root, network=False, what="run_autograder (offline, correct)")
    assert results["score"] == 5.0


def test_with_no_python_and_no_network_setup_says_so_and_results_json_is_still_valid(
    stock, workspace, offline_zip
):
    """The stock root has no Python: setup.sh, offline, says matgrade needs Python >= 3.11 and how
    to get it; run_autograder, with no Python at all, still writes a valid results.json."""
    root = fresh_copy(stock, workspace / "no-python")
    assert not (root / "usr" / "bin" / "python3").exists()
    unpack(offline_zip, root)
    done = setup(root, network=False, what="setup.sh (no Python, no network)")
    assert done.returncode != 0
    assert "matgrade needs Python >= 3.11" in done.stderr and "base image with" in done.stderr
    submit(root, {"hw1.py": CORRECT})
    results = run_autograder(root, network=False)
    assert results["score"] == 0 and len(results["tests"]) == 2
    assert "The autograder is not set up" in results["output"]


def test_prairielearns_entry_point_grades_in_the_stock_image_as_root_without_network(container):
    """run.sh (grade init prairielearn's) in the image, /grade laid out, no network (PrairieLearn's
    default): a wrong file scores 0.4, as root with student code unprivileged."""
    from grader.prairielearn import RUN_SH

    grade_root = container / "grade"
    prairielearn_folder(grade_root, {"hw1.py": WRONG}, assignment=ASSIGNMENT, data={"variant_seed": 7})
    (grade_root / "serverFilesCourse").mkdir()
    (grade_root / "serverFilesCourse" / "run.sh").write_text(RUN_SH)
    (grade_root / "serverFilesCourse" / "run.sh").chmod(0o755)
    env = {"MATGRADE_GRADE": "/autograder/venv/bin/grade"}
    entry = "/grade/serverFilesCourse/run.sh"
    done = in_root("PrairieLearn run.sh", container, entry, network=False, env=env)
    assert done.returncode == 0, done.stderr
    results = json.loads((grade_root / "results" / "results.json").read_text())
    assert results["gradable"] is True and results["score"] == pytest.approx(0.4)
    assert [(t["points"], t["max_points"]) for t in results["tests"]] == [(0.0, 3.0), (2.0, 2.0)]
