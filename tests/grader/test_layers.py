"""The worker's layers hold with all capabilities and without CAP_SYS_ADMIN: attacks graded by the CLI.

Each test writes a submission whose `d_ln_x2` runs one attack and returns the right answer
(2 / x) only when the attack was contained, so that the exercise's score is the verdict: 1.0
means every call ran and every attack failed; an attack that succeeds or a worker that breaks
scores 0.  Where it is safe, the same attack is first run in the test's own process (root,
unconfined) to show it is a real one that works without the sandbox.  The submission is graded
through the real command (`python -m grader.cli --format json`), once as is (`full`) and once
under `setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin` (`no_sys_admin`, as in a
default Docker container), where the worker has no namespaces or private root and only
Landlock, seccomp and its private uid stand between it and the machine.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [
    pytest.mark.isolation,
    pytest.mark.slow,  # each attack through the CLI, in two privilege modes
    pytest.mark.skipif(sys.platform != "linux", reason="the layers are Linux's"),
]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NO_SYS_ADMIN = ("--bounding-set=-sys_admin", "--inh-caps=-sys_admin")


@pytest.fixture(params=["full", "no_sys_admin"])
def prefix(request: pytest.FixtureRequest) -> list[str]:
    """What the CLI's command is prefixed with: nothing, or setpriv dropping CAP_SYS_ADMIN."""
    if request.param == "full":
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is not installed")
    if os.geteuid() != 0:
        pytest.skip("not root: there is no CAP_SYS_ADMIN to drop")
    return [setpriv, *NO_SYS_ADMIN]


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder anyone can enter and write, outside pytest's root-only tmp folders (a class's
    shared drive): there only the sandbox, not the file modes, keeps the worker out."""
    folder = Path(tempfile.mkdtemp(prefix="matgrade-layers-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def grade(prefix: list[str], submission: Path, only: str = "d_ln_x2") -> dict[str, Any]:
    """The JSON report of the real command on `submission`, for exercise `only` (or all)."""
    options = ["--format", "json", "--examples", "20", "--jobs", "1"]
    if only:
        options += ["--only", only]
    command = [*prefix, sys.executable, "-m", "grader.cli", *options, str(submission)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=submission.parent)
    assert done.stdout.startswith("{"), done.stderr[-2000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def contained(prefix: list[str], folder: Path, attack: str, *, control: bool = True) -> dict[str, Any]:
    """Grade a submission whose d_ln_x2 is right only while `attack`'s `attacked()` has never held.

    With `control`, `attacked()` is first run here, unconfined, and must succeed.
    """
    attack = textwrap.dedent(attack)
    if control:
        namespace: dict[str, Any] = {}
        exec(compile(attack, "<attack>", "exec"), namespace)
        assert namespace["attacked"]() is True, "the attack does not even work without a sandbox"
    # Once an attack has worked, every later answer is wrong: a call after a successful
    # unshare, say, fails only because the first one moved the worker.
    body = attack + textwrap.dedent("""

        _escaped = []

        def d_ln_x2(x):
            if not _escaped and attacked():
                _escaped.append(True)
            return 0.0 if _escaped else 2 / x
    """)
    folder.mkdir(parents=True, exist_ok=True)
    submission = folder / "hw.py"
    submission.write_text(body)
    report = grade(prefix, submission)
    (exercise,) = report["exercises"]
    assert exercise["status"] == "passed", json.dumps(report, indent=1)[:3000]
    assert exercise["score"] == exercise["max_score"] == 1.0
    return report


def test_student_code_never_runs_as_root(prefix, tmp_path):
    """Inside the student's function the effective uid is never 0, in both modes."""
    attack = """
        import os

        def attacked():
            return os.geteuid() == 0 or os.getuid() == 0
    """
    contained(prefix, tmp_path, attack, control=os.geteuid() == 0)


def test_the_installed_reference_and_grader_cannot_be_read(prefix, tmp_path):
    """The reference's source, the grader's source and matgrade's metadata (its RECORD and the
    editable install's hooks name every file) are unreadable from the student's code."""
    spec = importlib.util.find_spec("reference")
    assert spec is not None and spec.origin is not None
    targets = [str(Path(spec.origin).with_name("elementwise.py"))]
    grader_spec = importlib.util.find_spec("grader")
    assert grader_spec is not None and grader_spec.origin is not None
    targets.append(grader_spec.origin)
    records = [str(p) for entry in sys.path if entry for p in Path(entry).glob("matgrade-*.dist-info/RECORD")]
    assert records, "matgrade is not installed (pip install -e .)"
    targets += records
    attack = f"""
        def attacked():
            for path in {targets!r}:
                try:
                    with open(path) as file:
                        if file.read(64):
                            return True
                except OSError:
                    pass
            return False
    """
    contained(prefix, tmp_path, attack)


def test_a_classmates_file_next_to_the_submission_cannot_be_read(prefix, shared):
    """In a class folder anyone can read, a classmate's hw.py beside the student's folder stays
    out of reach, and so does the listing of the class folder."""
    classmate = shared / "bob" / "hw.py"
    classmate.parent.mkdir()
    classmate.write_text("def d_ln_x2(x):\n    return 2 / x  # bob's\n")
    classmate.parent.chmod(0o755)
    classmate.chmod(0o644)
    attack = f"""
        import os

        def attacked():
            try:
                with open({str(classmate)!r}) as file:
                    return "bob" in file.read()
            except OSError:
                pass
            try:
                return "bob" in os.listdir({str(shared)!r})
            except OSError:
                return False
    """
    contained(prefix, shared / "alice", attack)


def test_a_root_only_file_cannot_be_read(prefix, tmp_path):
    """A file of mode 600 owned by root, in a folder of mode 700 (like /root), stays unreadable:
    also where the worker keeps CAP_DAC_READ_SEARCH to read Python, Landlock bounds it."""
    secrets = Path(tempfile.mkdtemp(prefix="matgrade-root-"))
    try:
        secret = secrets / "secret.txt"
        secret.write_text("the answers\n")
        secret.chmod(0o600)
        secrets.chmod(0o700)
        attack = f"""
            def attacked():
                try:
                    with open({str(secret)!r}) as file:
                        return "answers" in file.read()
                except OSError:
                    return False
        """
        contained(prefix, tmp_path, attack, control=os.geteuid() == 0)
    finally:
        shutil.rmtree(secrets, ignore_errors=True)


def test_nothing_is_written_outside_the_scratch_directory(prefix, shared):
    """Files aimed at /tmp, /var/tmp, /dev/shm and the submission's own (world-writable) folder
    never appear there; writing in the worker's own directory still works."""
    name = f"matgrade-layers-{uuid.uuid4().hex}"
    folder = shared / "alice"
    folder.mkdir()
    folder.chmod(0o777)
    targets = [f"/tmp/{name}", f"/var/tmp/{name}", f"/dev/shm/{name}", str(folder / name)]
    attack = f"""
        def attacked():
            for path in {targets!r}:
                try:
                    with open(path, "w") as file:
                        file.write("x")
                except OSError:
                    pass
            with open("own.txt", "w") as file:  # the scratch directory, the working directory
                file.write("x")
            return False
    """
    try:
        contained(prefix, folder, attack, control=False)
        left = [path for path in targets if os.path.lexists(path)]
        assert left == []
    finally:
        for path in targets:
            if os.path.lexists(path):
                os.unlink(path)


def test_memfd_and_system_v_shared_memory_are_refused(prefix, tmp_path):
    """memfd_create fails, and so does a System V segment of 2 GiB (memory outside RLIMIT_AS)."""
    attack = """
        import ctypes
        import os

        def attacked():
            held = False
            try:
                os.close(os.memfd_create("hold"))
                held = True
            except OSError:
                pass
            libc = ctypes.CDLL(None, use_errno=True)
            libc.shmget.restype = ctypes.c_int
            segment = libc.shmget(0, ctypes.c_size_t(2 << 30), 0o1000 | 0o600)  # IPC_PRIVATE, IPC_CREAT
            if segment >= 0:
                libc.shmctl(segment, 0, None)  # IPC_RMID: never leave it behind
                held = True
            return held
    """
    contained(prefix, tmp_path, attack)


def test_no_process_can_be_traced_or_read(prefix, tmp_path):
    """ptrace of the grader, and process_vm_readv of the grader and even of the worker itself
    (which the kernel allows any process), all fail."""
    attack = """
        import ctypes
        import os

        class IOVec(ctypes.Structure):
            _fields_ = [("base", ctypes.c_void_p), ("length", ctypes.c_size_t)]

        def read_memory(pid):
            libc = ctypes.CDLL(None, use_errno=True)
            source = ctypes.create_string_buffer(b"secret", 16)
            target = ctypes.create_string_buffer(16)
            local = IOVec(ctypes.cast(target, ctypes.c_void_p), 16)
            remote = IOVec(ctypes.cast(source, ctypes.c_void_p), 16)
            libc.process_vm_readv.restype = ctypes.c_ssize_t
            done = libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
            return done > 0

        def attacked():
            libc = ctypes.CDLL(None, use_errno=True)
            libc.ptrace.restype = ctypes.c_long
            if libc.ptrace(16, os.getppid(), None, None) == 0:  # PTRACE_ATTACH
                libc.ptrace(17, os.getppid(), None, None)  # PTRACE_DETACH
                return True
            return read_memory(os.getppid()) or read_memory(os.getpid())
    """
    contained(prefix, tmp_path, attack, control=False)
    namespace: dict[str, Any] = {}
    exec(compile(textwrap.dedent(attack), "<attack>", "exec"), namespace)
    assert namespace["read_memory"](os.getpid()) is True  # the control: unconfined, it reads


def test_no_socket_but_a_unix_one_can_be_opened(prefix, tmp_path):
    """socket(AF_INET) and socket(AF_INET6) fail (also inside a private network namespace, where
    the kernel would allow them); AF_UNIX still works (multiprocessing needs it)."""
    attack = """
        import socket

        def attacked():
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()
            for family in (socket.AF_INET, socket.AF_INET6):
                try:
                    socket.socket(family, socket.SOCK_STREAM).close()
                    return True
                except OSError:
                    pass
            return False
    """
    contained(prefix, tmp_path, attack)


def test_the_worker_cannot_escape_into_new_namespaces(prefix, tmp_path):
    """unshare and clone with CLONE_NEWUSER (an unprivileged user's way to regain capabilities
    in a namespace of its own) fail."""
    attack = """
        import ctypes
        import os

        def attacked():
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.unshare(0x10000000) == 0:  # CLONE_NEWUSER
                return True
            return False
    """
    contained(prefix, tmp_path, attack, control=False)


def test_numpy_imports_and_a_correct_submission_scores_full_marks(prefix, tmp_path):
    """examples/correct.py (numpy, math, every set) scores full marks under all the layers."""
    submission = tmp_path / "correct.py"
    shutil.copy(EXAMPLES / "correct.py", submission)
    report = grade(prefix, submission, only="")
    assert report["errors"] == []
    assert report["score"] == report["max_score"] == 41.0
    assert all(exercise["status"] == "passed" for exercise in report["exercises"])


HELLO = """
import json, tempfile
from grader.sandbox.confinement import choose_uid
from grader.sandbox.launch import spawn, stop
from grader.sandbox.records import Limits
from grader.sandbox.worker import framing

with tempfile.TemporaryDirectory(prefix="matgrade-") as scratch:
    uid = choose_uid()
    process, to_worker, from_worker = spawn(Limits(), scratch, uid)
    try:
        print(json.dumps(framing.receive(from_worker)["isolation"]))
    finally:
        stop(process, uid)
"""


def test_the_worker_says_which_layers_hold(prefix):
    """The worker's greeting names each layer: Landlock's ABI, seccomp, the capabilities kept
    (CAP_DAC_READ_SEARCH only without a private root and with Python readable by root alone),
    and that student code does not start as root."""
    from grader.sandbox.worker import landlock

    if landlock.abi() == 0:
        pytest.skip("this kernel has no Landlock")
    done = subprocess.run([*prefix, sys.executable, "-c", HELLO], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    isolation = json.loads(done.stdout)
    assert isolation["landlock"] == landlock.abi()
    assert isolation["seccomp"] is True
    assert isolation["user"] is True and isolation["root"] is False
    # "full" has a private root only where this process itself holds CAP_SYS_ADMIN (.ci/run runs
    # this file a second time without it).
    private_root = not prefix and _holds_sys_admin()
    assert isolation["filesystem"] is private_root
    above = [p for prefix_ in {sys.base_prefix, sys.prefix} for p in _above(prefix_)]
    python_for_anyone = all(os.stat(p).st_mode & 0o005 == 0o005 for p in above)
    kept = [] if private_root or python_for_anyone else ["dac_read_search"]
    assert isolation["capabilities"] == kept


def _holds_sys_admin() -> bool:
    """Whether this process has CAP_SYS_ADMIN (bit 21 of its effective capabilities)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return bool(int(line.split()[1], 16) >> 21 & 1)
    return False


def _above(path: str) -> list[str]:
    """`path` and every directory above it."""
    real = Path(os.path.realpath(path))
    return [str(p) for p in [real, *real.parents]]


# -- how Landlock's rules are planned (no sandbox: the paths only) ----------------------------


def test_a_site_packages_holding_the_grader_is_allowed_entry_by_entry(tmp_path):
    """site-packages with the grader's packages, metadata, editable hooks and a .pth naming the
    checkout is never allowed whole: every other entry is, one by one."""
    from grader.sandbox.worker import landlock

    checkout = tmp_path / "checkout"
    checkout.mkdir()
    site = tmp_path / "venv" / "lib" / "site-packages"
    site.mkdir(parents=True)
    theirs = ["grader", "reference", "exercises", "matgrade", "matgrade-0.1.0.dist-info"]
    for name in [*theirs, "numpy", "sympy"]:
        (site / name).mkdir()
    for name in ["__editable__.matgrade-0.1.0.pth", "__editable___matgrade_0_1_0_finder.py", "six.py"]:
        (site / name).write_text("")
    (site / "zz_checkout.pth").write_text(f"{checkout}\n")
    (site / "distutils-precedence.pth").write_text("import os\n")
    blocked = ("grader", "reference", "exercises", "matgrade")
    denied = [str(checkout), *landlock.denied_entries(str(site), blocked, [str(checkout)])]
    hooks = ["__editable__.matgrade-0.1.0.pth", "__editable___matgrade_0_1_0_finder.py", "zz_checkout.pth"]
    assert sorted(os.path.basename(d) for d in denied[1:]) == sorted([*theirs, *hooks])
    allowed = landlock.plan([str(tmp_path / "venv")], denied)
    assert sorted(os.path.relpath(a, tmp_path) for a in allowed) == [
        "venv/lib/site-packages/distutils-precedence.pth",
        "venv/lib/site-packages/numpy",
        "venv/lib/site-packages/six.py",
        "venv/lib/site-packages/sympy",
    ]


def test_a_venv_inside_the_checkout_is_allowed_but_nothing_else_of_the_checkout(tmp_path):
    """Python's own paths may lie inside the grader's checkout (a venv in it): they are allowed,
    the checkout around them is not, and a link from them into the grader's package is left out."""
    from grader.sandbox.worker import landlock

    checkout = tmp_path / "checkout"
    (checkout / "reference").mkdir(parents=True)
    site = checkout / ".venv" / "lib" / "site-packages"
    (site / "numpy").mkdir(parents=True)
    (site / "matgrade-0.1.0.dist-info").mkdir()
    (site / "answers").symlink_to(checkout / "reference")
    (checkout / ".venv" / "bin").mkdir()
    denied = [str(checkout), str(checkout / "reference"), str(site / "matgrade-0.1.0.dist-info")]
    allowed = landlock.plan([str(checkout / ".venv"), "/usr"], denied)
    inside = sorted(os.path.relpath(a, checkout) for a in allowed if a.startswith(str(checkout)))
    assert inside == [".venv/bin", ".venv/lib/site-packages/numpy"]
    assert "/usr" in allowed
