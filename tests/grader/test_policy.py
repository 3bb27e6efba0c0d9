"""The isolation policy: what matgrade demands before it runs student code, and `grade doctor`.

The rule (grader/sandbox/policy.py) is checked on records first; then end to end, through the
real command, as root with every capability and as root without CAP_SYS_ADMIN (setpriv, as in
a default Docker container), where what `grade doctor` says must agree with what `grade` and
`grade batch` do.  Last, the kill of a worker's processes by uid: a chain of processes that
fork and exit in turn, which outran the /proc scan before, leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.grading import Options, grade
from grader.sandbox import Isolation, Limits
from grader.sandbox.policy import Trust, layers, missing, refusal
from tests.grader.test_security import live_processes, tagged

pytestmark = pytest.mark.slow  # the CLI in two privilege modes, and as another user

PROJECT = Path(__file__).resolve().parents[2]
CORRECT = PROJECT / "examples" / "correct.py"
FULL = Isolation(
    user=True, network=True, filesystem=True, root=False, landlock=7, seccomp=True, cgroup="v2: memory"
)
BARE_ROOT = Isolation(root=True)  # root without CAP_SYS_ADMIN, before any layer
LANDLOCKED = Isolation(root=False, landlock=7, seccomp=True)  # an ordinary user on a new kernel


# -- the rule ---------------------------------------------------------------------------------


def test_full_isolation_grades_everyones_code():
    for trust in Trust:
        assert refusal(FULL, trust, grader_root=True) is None
    assert missing(FULL) == []


def test_student_code_never_runs_as_root_unless_trusted():
    for trust in (Trust.OWN, Trust.OTHERS):
        reason = refusal(BARE_ROOT, trust, grader_root=True)
        assert reason is not None and "student code would run as root" in reason
        assert "--cap-add SYS_ADMIN" in reason and "--trusted" in reason and "grade doctor" in reason
    assert refusal(BARE_ROOT, Trust.TRUSTED, grader_root=True) is None


def test_a_uid_alone_does_not_keep_the_reference_out_of_reach():
    uid_only = Isolation(user=True, root=False)
    reason = refusal(uid_only, Trust.OTHERS, grader_root=True)
    assert reason is not None and "reference answers" in reason
    assert "grader's process" not in reason


def test_landlock_with_seccomp_is_enough_for_other_peoples_code():
    assert refusal(LANDLOCKED, Trust.OTHERS, grader_root=False) is None
    old_kernel = Isolation(root=False, landlock=5, seccomp=True)  # no signal scope before ABI 6
    reason = refusal(old_kernel, Trust.OTHERS, grader_root=False)
    assert reason is not None and "grader's process" in reason


def test_ones_own_code_as_an_ordinary_user_is_graded_with_what_there_is():
    """The student's code runs as the student: it can do nothing they cannot do themselves."""
    nothing = Isolation(root=False)
    assert refusal(nothing, Trust.OWN, grader_root=False) is None
    assert refusal(nothing, Trust.OTHERS, grader_root=False) is not None


def test_each_layer_is_listed_with_what_it_keeps_out():
    listed = {layer.name: layer for layer in layers(FULL)}
    assert set(listed) == {
        "not root",
        "private uid",
        "private file system",
        "Landlock",
        "seccomp",
        "private network",
        "cgroup",
        "no capabilities",
    }
    assert all(layer.active and layer.guards for layer in listed.values())
    assert listed["Landlock"].detail == "ABI 7"
    bare = {layer.name: layer.active for layer in layers(BARE_ROOT)}
    assert not any(bare.values())


def test_an_unsaid_root_counts_as_root():
    from grader.sandbox.protocol import isolation_of

    assert isolation_of({"isolation": {"user": True, "filesystem": True}}).root is True
    said = isolation_of({"isolation": {"user": True, "root": False, "landlock": 7, "seccomp": True}})
    assert (said.root, said.landlock, said.seccomp) == (False, 7, True)
    forged = isolation_of({"isolation": {"landlock": "7", "seccomp": 1, "root": 0}})
    assert (forged.root, forged.landlock, forged.seccomp) == (True, 0, False)


# -- end to end, in both privilege modes --------------------------------------------------------

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the privilege modes need root")
SETPRIV = shutil.which("setpriv")
MODES = ["full", pytest.param("no_sys_admin", marks=pytest.mark.skipif(SETPRIV is None, reason="no setpriv"))]


def grade_cli(mode: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    prefix = [SETPRIV or "setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin"]
    command = [*(prefix if mode == "no_sys_admin" else []), sys.executable, "-m", "grader.cli", *args]
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


@needs_root
@pytest.mark.parametrize("mode", MODES)
def test_doctor_agrees_with_what_grade_and_batch_do(mode, tmp_path):
    doctor = grade_cli(mode, "doctor", "--format", "json")
    assert doctor.returncode in (0, 1), doctor.stderr
    facts = json.loads(doctor.stdout)
    assert doctor.returncode == (0 if facts["others_code"] else 1)
    assert {row["name"] for row in facts["layers"]} >= {"not root", "Landlock", "seccomp"}
    if mode == "full":
        assert facts["own_code"] and facts["others_code"], facts

    own = grade_cli(mode, "--only", "d_ln_x2", "--examples", "5", str(CORRECT))
    if facts["own_code"]:
        assert own.returncode == 0, own.stdout + own.stderr
    else:
        assert own.returncode == 2
        assert "will not run" in own.stderr and "--trusted" in own.stderr and "Traceback" not in own.stderr

    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(CORRECT, folder / "ada.py")
    batch = grade_cli(mode, "batch", str(folder), "-o", str(tmp_path / "out"), "--examples", "5")
    if facts["others_code"]:
        assert batch.returncode == 0, batch.stdout + batch.stderr
        assert "ada" in (tmp_path / "out" / "gradebook.csv").read_text()
    else:
        assert batch.returncode == 2
        assert "other people's code" in batch.stderr and "--trusted" in batch.stderr
        assert not (tmp_path / "out" / "gradebook.csv").exists()  # refused before anyone was graded


@needs_root
@pytest.mark.parametrize("mode", MODES)
def test_trusted_grades_whatever_the_isolation(mode):
    run = grade_cli(
        mode, "--trusted", "--only", "d_ln_x2", "--examples", "5", "--format", "json", str(CORRECT)
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["status"] == "passed"
    assert report["environment"]["trust"] == "trusted"


def test_the_json_report_says_how_the_code_was_isolated():
    report = grade(str(CORRECT), Options(only=("d_ln_x2",), examples=5, jobs=1))
    environment = report.to_dict()["environment"]
    assert environment["trust"] == "own"
    names = [layer["name"] for layer in environment["layers"]]
    assert names[0] == "not root" and "Landlock" in names
    if os.geteuid() == 0:
        assert environment["layers"][0]["active"] is True  # refused otherwise, so never False here


# -- every process of a worker dies with it ----------------------------------------------------


@needs_root
@pytest.mark.parametrize("mode", MODES)
def test_chains_of_processes_that_fork_and_exit_in_turn_leave_nothing(mode, tmp_path):
    """Each link forks the next and exits at once, in a session of its own: a /proc scan finds
    the parent gone and the child not yet listed.  Killing by uid (kill(-1) as that uid) gets
    them all at once.  Where this machine refuses to run the code, there is nothing to kill."""
    name, tag = tagged(tmp_path)
    hop = """
    import os, time
    started = []
    def d_ln_x2(x):
        for _ in range(0 if started else 2):
            started.append(1)
            if os.fork() == 0:
                os.setsid()
                while True:
                    try:
                        if os.fork():
                            os._exit(0)
                    except OSError:
                        time.sleep(0.001)
        return 2 / x
    """
    path = tmp_path / "hops.py"
    path.write_text("import numpy as np\n" + tag + textwrap.dedent(hop), encoding="utf-8")
    for _ in range(3):
        run = grade_cli(mode, "--only", "d_ln_x2", "--examples", "3", "--format", "json", str(path))
        if run.returncode == 2 and "will not run" in run.stderr:
            pytest.skip(f"refused here: {run.stderr.strip()}")
        assert json.loads(run.stdout)["status"] == "passed", run.stdout
        assert live_processes(name) == []


# -- the worker's cgroup --------------------------------------------------------------------


def test_memory_spread_over_several_processes_is_bounded_by_the_cgroup():
    """Four children of 600 MB each stay under the per-process limit (1 GiB of address space)
    but not under the whole tree's 1 GiB: the cgroup stops them.  Without one, each succeeds."""
    from grader.sandbox import Returned, Sandbox

    spread = """
import os, time
def spread(x):
    children = []
    for _ in range(4):
        pid = os.fork()
        if pid == 0:
            block = bytearray(600 << 20)
            for i in range(0, len(block), 4096):
                block[i] = 1
            time.sleep(1)
            os._exit(0)
        children.append(pid)
    return float(sum(os.waitpid(pid, 0)[1] == 0 for pid in children))
"""
    with Sandbox(spread, "/tmp/spread.py", Limits(call_seconds=30)) as box:
        assert box.load().error is None
        assert box.isolation is not None
        if not box.isolation.cgroup:
            pytest.skip("no cgroup can be made here")
        [outcome] = box.call("spread", "leaf", [(1.0,)])
    # The worker itself may be the one killed (Crashed); else some child did not make it.
    assert not (isinstance(outcome, Returned) and float(outcome.value.values) == 4.0), outcome


# -- as an ordinary user ------------------------------------------------------------------------

NOBODY = 65534


@pytest.fixture(scope="module")
def readable_install() -> Iterator[Path]:
    """matgrade installed in a venv of the system's Python, readable by every user (the pyenv
    Python of this machine is under /root, which only root may enter)."""
    system = Path("/usr/bin/python3")
    if os.geteuid() != 0 or SETPRIV is None or not system.exists():
        pytest.skip("needs root, setpriv and /usr/bin/python3 to run matgrade as another user")
    where = Path(tempfile.mkdtemp(prefix="matgrade-nobody-"))
    try:
        venv = where / "venv"
        made = subprocess.run([str(system), "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"the system's Python cannot make a venv: {made.stderr.strip()[:200]}")
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(PROJECT)]
        subprocess.run(pip, check=True, capture_output=True, timeout=900)
        shutil.copy(CORRECT, where / "correct.py")
        for path in [where, *where.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o005 | (0o050 if path.is_dir() else 0))
        yield where
    finally:
        shutil.rmtree(where, ignore_errors=True)


def as_nobody(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [SETPRIV or "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    env = {"HOME": str(where), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    grade = str(where / "venv" / "bin" / "grade")
    return subprocess.run(
        [*command, grade, *args], capture_output=True, text=True, timeout=300, cwd=where, env=env
    )


@pytest.mark.slow
def test_an_ordinary_user_gets_the_layers_that_need_no_privilege(readable_install):
    doctor = as_nobody(readable_install, "doctor", "--format", "json")
    assert doctor.returncode in (0, 1), doctor.stderr
    facts = json.loads(doctor.stdout)
    assert facts["grader_user"] == f"uid {NOBODY}"
    active = {row["name"]: row["active"] for row in facts["layers"]}
    assert active["not root"] and not active["private uid"] and active["no capabilities"]
    assert facts["own_code"]  # one's own code, as oneself
    assert facts["others_code"] == (not facts["missing"])
    own = as_nobody(readable_install, "--format", "json", str(readable_install / "correct.py"))
    assert own.returncode == 0, own.stderr
    assert json.loads(own.stdout)["status"] == "passed"
