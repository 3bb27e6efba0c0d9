"""Hostile and broken submissions: every defence of docs/security.md, one test per case.

Each test writes a submission in which one exercise misbehaves (or the whole file is
broken), grades it through the public API, and asserts the exact outcome: the affected
exercise is `error` or `failed` with a message a student can act on, every other exercise
is graded normally, the limit that stops it is the one the message names, and no traceback
or path of the grader's own reaches the report.

No test depends on the speed of the machine: what must be stopped never ends (an endless
loop, a sleep far beyond the limit), and what must pass has limits hundreds of times what it
needs, also on a loaded machine.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import textwrap
from pathlib import Path

import pytest

import grader
from grader.grading import Options, grade
from grader.report import ExerciseResult, Report
from grader.sandbox import Isolation, Limits, Sandbox

PROJECT = Path(grader.__file__).resolve().parent.parent
GRADER_DIR = str(Path(grader.__file__).resolve().parent)
PAIR = ("d_ln_x2", "d_x_plus_x2")
# A right call takes milliseconds and a top level of a few lines as long; each test that meets
# a limit waits for it once, so these are as small as stays far above those needs.
LIMITS = Limits(call_seconds=2.0, load_seconds=4.0, exercise_seconds=60.0)
PATIENT = Limits(call_seconds=2.0, load_seconds=30.0, exercise_seconds=60.0)  # 300 MB of output at import
GOOD = {
    "d_ln_x2": "def d_ln_x2(x):\n    return 2 / x\n",
    "d_x_plus_x2": "def d_x_plus_x2(x):\n    return 1 + 2 * x\n",
    "grad_sum": "def grad_sum(x):\n    return np.ones_like(x)\n",
}


@pytest.fixture(scope="module")
def isolation() -> Isolation:
    """What confines a worker on this machine (Linux as root: everything)."""
    with Sandbox("", "/tmp/empty.py", LIMITS) as box:
        assert box.load().error is None
        assert box.isolation is not None
        return box.isolation


# The layers that give each defence: a namespace where CAP_SYS_ADMIN allows one, else Landlock
# (files) or seccomp (network), which need no privilege (docs/security.md, "Layers").
EQUIVALENT = {"filesystem": ("filesystem", "landlock"), "network": ("network", "seccomp"), "user": ("user",)}


def need(isolation: Isolation, what: str) -> None:
    """Skip a test whose defence this machine cannot give (docs/security.md says which)."""
    if not any(getattr(isolation, layer) for layer in EQUIVALENT[what]):
        pytest.skip(f"no private {what} here: {'; '.join(isolation.notes)}")


def write(tmp_path: Path, hostile: str, *, replaces: str | None = None) -> Path:
    """A submission: the correct functions, minus `replaces`, plus the hostile code."""
    parts = ["import numpy as np\n"]
    parts += [source for name, source in GOOD.items() if name != replaces]
    parts.append(textwrap.dedent(hostile))
    path = tmp_path / "submission.py"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def texts(report: Report) -> list[str]:
    """Every string of the report that a student reads."""
    out = list(report.errors)
    for result in report.exercises:
        out += [result.message, result.hint]
        for identity in result.identities:
            out.append(identity.message)
    return out


def run(
    path: Path | str, only: tuple[str, ...] = PAIR, limits: Limits = LIMITS
) -> tuple[dict[str, ExerciseResult], Report]:
    """Grade `path`; the results by name and the report."""
    report = grade(str(path), Options(only=only, examples=10, jobs=1, limits=limits))
    for text in texts(report):
        assert "Traceback (most recent call last)" not in text
        assert GRADER_DIR not in text and "sandbox/worker/" not in text
    return {r.name: r for r in report.exercises}, report


def passed(results: dict[str, ExerciseResult], *names: str) -> bool:
    return all(results[n].status == "passed" for n in names)


def tagged(tmp_path: Path) -> tuple[str, str]:
    """A name unique to this test, and top-level code giving it to the worker's processes.

    Other graders may run on the machine; the name (PR_SET_NAME, inherited by forks) tells
    this test's processes apart.
    """
    name = f"mg{os.getpid() % 10**5}{abs(hash(tmp_path.name)) % 10**6}"[:15]
    return name, f"import ctypes\nctypes.CDLL(None).prctl(15, {name.encode()!r}, 0, 0, 0)\n"


def live_processes(marker: str) -> list[int]:
    """Pids of running (not zombie) processes whose name or command line contains `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            names = Path(f"/proc/{entry}/cmdline").read_bytes() + Path(f"/proc/{entry}/comm").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker.encode() in names and state != b"Z":
            found.append(int(entry))
    return found


# -- runaway code --------------------------------------------------------------------------


def test_an_infinite_loop_in_a_function_is_an_error_and_the_rest_is_graded(tmp_path):
    """A function that never returns costs its call limit; the others pass."""
    path = write(tmp_path, "def d_ln_x2(x):\n    while True:\n        pass\n", replaces="d_ln_x2")
    results, _ = run(path)
    assert results["d_ln_x2"].status == "error"
    assert "timed out (the limit is 2 s per call)" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_an_infinite_loop_at_import_fails_the_load_within_the_load_limit(tmp_path):
    """Top-level code that never ends is stopped after load_seconds with a message that says so."""
    path = write(tmp_path, "while True:\n    pass\n")
    results, report = run(path)
    assert [r.status for r in results.values()] == ["error", "error"]
    assert "loading it took longer than 4 s" in report.errors[0]
    assert "outside functions" in report.errors[0]
    assert not report.loaded


def test_a_memory_bomb_of_tens_of_gigabytes_is_an_error_and_the_rest_is_graded(tmp_path):
    """Reserving 40 GiB hits the worker's memory limit: MemoryError, and the others pass."""
    bomb = """
    def d_ln_x2(x):
        hoard = [np.empty(2**27) for _ in range(40)]
        return 2 / x + 0 * len(hoard)
    """
    results, _ = run(write(tmp_path, bomb, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "error"
    assert "MemoryError" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_deep_recursion_is_an_error_and_the_rest_is_graded(tmp_path):
    """Unbounded recursion through C code with the recursion limit lifted ends as an error."""
    deep = """
    import sys
    sys.setrecursionlimit(10**8)
    def d_ln_x2(x):
        return list(map(d_ln_x2, [x]))
    """
    results, _ = run(write(tmp_path, deep, replaces="d_ln_x2"))
    message = results["d_ln_x2"].message
    assert results["d_ln_x2"].status == "error"
    assert "crashed (segmentation fault" in message or message.startswith("RecursionError")
    assert passed(results, "d_x_plus_x2")


def test_a_segfault_is_an_error_and_the_rest_is_graded(tmp_path):
    """Dereferencing NULL with ctypes crashes only the worker, which is replaced."""
    crash = """
    import ctypes
    def d_ln_x2(x):
        return ctypes.string_at(0)
    """
    results, _ = run(write(tmp_path, crash, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "error"
    assert "crashed (segmentation fault, signal SIGSEGV)" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_a_fork_bomb_is_contained_and_no_process_survives(tmp_path):
    """os.fork() in a loop hits the process limit; nothing of it outlives grade()."""
    name, tag = tagged(tmp_path)
    bomb = """
    import os
    def d_ln_x2(x):
        while True:
            os.fork()
    """
    results, _ = run(write(tmp_path, tag + textwrap.dedent(bomb), replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "error"
    assert results["d_ln_x2"].message.startswith("BlockingIOError")  # the limit, not the clock
    assert passed(results, "d_x_plus_x2")
    assert live_processes(name) == []


def test_threads_left_running_do_not_outlive_the_grade(tmp_path):
    """A thread spinning since import and one sleeping since a call die with the worker."""
    name, tag = tagged(tmp_path)
    threads = """
    import threading, time
    def spin():
        while True:
            pass
    threading.Thread(target=spin).start()
    sleepers = []
    def d_ln_x2(x):
        if not sleepers:
            sleepers.append(threading.Thread(target=time.sleep, args=(1000,)))
            sleepers[0].start()
        return 2 / x
    """
    results, _ = run(write(tmp_path, tag + textwrap.dedent(threads), replaces="d_ln_x2"))
    assert passed(results, "d_ln_x2", "d_x_plus_x2")
    assert live_processes(name) == []


def test_a_detached_child_process_does_not_survive_the_grade(tmp_path, isolation):
    """A child in a session of its own (setsid) is found by its uid and killed."""
    need(isolation, "user")
    seconds_to_sleep = str(10**6 + os.getpid())
    detach = f"""
    import subprocess
    def d_ln_x2(x):
        subprocess.Popen(["sleep", "{seconds_to_sleep}"], start_new_session=True)
        return 2 / x
    """
    results, _ = run(write(tmp_path, detach, replaces="d_ln_x2"))
    assert passed(results, "d_ln_x2", "d_x_plus_x2")
    assert live_processes(seconds_to_sleep) == []


def test_the_whole_submission_has_a_time_limit(tmp_path):
    """Calls each far under the call limit still stop at submission_seconds, all of them."""
    # 10 examples of 1 s each cannot fit in 4 s on any machine, and no call nears its 30 s.
    slow = """
    import time
    def d_ln_x2(x):
        time.sleep(1.0)
        return 2 / x
    def d_x_plus_x2(x):
        time.sleep(1.0)
        return 1 + 2 * x
    """
    path = tmp_path / "submission.py"
    path.write_text(textwrap.dedent(slow))
    limits = Limits(call_seconds=30.0, load_seconds=4.0, submission_seconds=4.0)
    results, _ = run(path, limits=limits)
    assert [r.status for r in results.values()] == ["error", "error"]
    for result in results.values():
        assert "the submission used up its time limit of 4 s" in result.message


# -- escapes -------------------------------------------------------------------------------


def test_sys_exit_in_a_function_is_an_error_and_the_rest_is_graded(tmp_path):
    """sys.exit() is caught in the worker and reported as SystemExit."""
    path = write(tmp_path, "import sys\ndef d_ln_x2(x):\n    sys.exit(0)\n", replaces="d_ln_x2")
    results, _ = run(path)
    assert results["d_ln_x2"].status == "error"
    assert results["d_ln_x2"].message.startswith("SystemExit")
    assert passed(results, "d_x_plus_x2")


def test_os_exit_in_a_function_is_an_error_and_the_rest_is_graded(tmp_path):
    """os._exit() ends the worker; the call is an error and a fresh worker grades the rest."""
    path = write(tmp_path, "import os\ndef d_ln_x2(x):\n    os._exit(3)\n", replaces="d_ln_x2")
    results, _ = run(path)
    assert results["d_ln_x2"].status == "error"
    assert "exit code 3" in results["d_ln_x2"].message
    assert "must return, not exit" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_keyboard_interrupt_in_a_function_is_an_error_and_the_rest_is_graded(tmp_path):
    """A KeyboardInterrupt raised by student code is the student's error, not the grader's."""
    path = write(tmp_path, "def d_ln_x2(x):\n    raise KeyboardInterrupt\n", replaces="d_ln_x2")
    results, _ = run(path)
    assert results["d_ln_x2"].status == "error"
    assert results["d_ln_x2"].message.startswith("KeyboardInterrupt")
    assert passed(results, "d_x_plus_x2")


def test_system_exit_at_import_is_a_load_error_that_says_what_to_do(tmp_path):
    """sys.exit() at the top level: every exercise is an error and the message names the fix."""
    results, report = run(write(tmp_path, "import sys\nsys.exit(1)\n"))
    assert [r.status for r in results.values()] == ["error", "error"]
    assert "raised SystemExit while it was loaded" in report.errors[0]
    assert "remove the sys.exit()" in report.errors[0]


def test_keyboard_interrupt_at_import_is_a_load_error_that_says_what_to_do(tmp_path):
    """A KeyboardInterrupt raised at the top level is reported as such, not as a grader crash."""
    results, report = run(write(tmp_path, "raise KeyboardInterrupt\n"))
    assert [r.status for r in results.values()] == ["error", "error"]
    assert "raised KeyboardInterrupt while it was loaded" in report.errors[0]


def test_os_exit_at_import_is_a_load_error_that_says_what_to_do(tmp_path):
    """os._exit() at the top level ends the worker while loading; the message says so."""
    results, report = run(write(tmp_path, "import os\nos._exit(4)\n"))
    assert [r.status for r in results.values()] == ["error", "error"]
    assert "loading it ended the worker process (exit code 4)" in report.errors[0]


def test_a_sigterm_handler_that_ignores_the_signal_cannot_keep_the_worker_alive(tmp_path):
    """Ignoring SIGTERM, SIGINT and SIGHUP does not matter: the worker is killed with SIGKILL."""
    name, tag = tagged(tmp_path)
    stubborn = """
    import signal
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)
    def d_ln_x2(x):
        while True:
            pass
    """
    results, _ = run(write(tmp_path, tag + textwrap.dedent(stubborn), replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "error"
    assert "timed out" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")
    assert live_processes(name) == []


def test_student_code_cannot_signal_the_grader(tmp_path, isolation):
    """The worker's private uid may not signal the grader: os.kill on it is PermissionError."""
    need(isolation, "user")
    received = []
    previous = signal.signal(signal.SIGUSR1, lambda *_: received.append(True))
    try:
        rude = """
        import os, signal
        def d_ln_x2(x):
            os.kill(os.getppid(), signal.SIGUSR1)
            return 2 / x
        """
        results, _ = run(write(tmp_path, rude, replaces="d_ln_x2"))
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert results["d_ln_x2"].status == "error"
    assert results["d_ln_x2"].message.startswith("PermissionError")
    assert passed(results, "d_x_plus_x2") and received == []


# -- floods --------------------------------------------------------------------------------


def test_hundreds_of_megabytes_on_stdout_reach_nobody(tmp_path, capfd):
    """300 MB printed at import and more on every call go to /dev/null; grading goes on."""
    flood = """
    import sys
    for _ in range(3):
        print("x" * 100_000_000)
    def d_ln_x2(x):
        print("y" * 1_000_000)
        return 2 / x
    """
    results, _ = run(write(tmp_path, flood, replaces="d_ln_x2"), limits=PATIENT)
    out, err = capfd.readouterr()
    assert passed(results, "d_ln_x2", "d_x_plus_x2")
    assert "xxxx" not in out + err and "yyyy" not in out + err


def test_hundreds_of_megabytes_on_stderr_reach_nobody(tmp_path, capfd):
    """300 MB written to stderr (and to fd 2 directly) go to /dev/null; grading goes on."""
    flood = """
    import os, sys
    for _ in range(3):
        sys.stderr.write("x" * 100_000_000)
    def d_ln_x2(x):
        os.write(2, b"y" * 1_000_000)
        return 2 / x
    """
    results, _ = run(write(tmp_path, flood, replaces="d_ln_x2"), limits=PATIENT)
    out, err = capfd.readouterr()
    assert passed(results, "d_ln_x2", "d_x_plus_x2")
    assert "xxxx" not in out + err and "yyyy" not in out + err


def test_closing_stdout_and_stderr_does_not_stop_the_grading(tmp_path):
    """The grader never talks over stdout: closing it costs only the function that prints."""
    closed = """
    import os, sys
    sys.stdout.close()
    os.close(1)
    os.close(2)
    def d_ln_x2(x):
        print(x)
        return 2 / x
    """
    results, _ = run(write(tmp_path, closed, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "error"
    assert "I/O operation on closed file" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_stdout_replaced_by_the_graders_pipe_costs_only_the_function_that_prints(tmp_path):
    """With fd 1 pointed at the reply pipe, a print corrupts one reply: that exercise errs."""
    replaced = """
    import fcntl, os, stat
    for fd in range(3, 256):
        try:
            writable = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY
            if writable and stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.dup2(fd, 1)
        except OSError:
            pass
    def d_ln_x2(x):
        print("PASSED", flush=True)
        return 2 / x
    """
    results, _ = run(write(tmp_path, replaced, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "error"
    assert "reply" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_garbage_written_into_the_graders_pipe_costs_only_that_exercise(tmp_path):
    """Bytes written to every pipe the worker holds make one malformed reply, and no more."""
    garbage = """
    import os, stat
    def d_ln_x2(x):
        for fd in range(3, 256):
            try:
                if stat.S_ISFIFO(os.fstat(fd).st_mode):
                    os.write(fd, b"PASSED " * 100)
            except OSError:
                pass
        return 2 / x
    """
    results, _ = run(write(tmp_path, garbage, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "error"
    assert "reply" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_a_forged_reply_in_the_pipe_cannot_shift_the_answers_of_other_exercises(tmp_path):
    """A well-framed fake reply is read as this call's answer; the real one is discarded later."""
    forged = """
    import json, os, stat, sys
    def d_ln_x2(x):
        message = sys._getframe(2).f_locals["message"]
        fake = {"seq": message["seq"], "results": [
            {"value": {"shape": [], "dtype": "float64", "data": [7.0]}} for _ in message["batch"]]}
        data = json.dumps(fake).encode()
        for fd in range(3, 256):
            try:
                if stat.S_ISFIFO(os.fstat(fd).st_mode):
                    os.write(fd, len(data).to_bytes(4, "big") + data)
            except OSError:
                pass
        return 2 / x
    """
    results, _ = run(write(tmp_path, forged, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "failed"
    assert passed(results, "d_x_plus_x2")


def test_terminal_escape_codes_in_a_message_cannot_redraw_the_report(tmp_path):
    """Control characters in an exception message are shown escaped, never sent to a terminal."""
    sneaky = 'def d_ln_x2(x):\n    raise ValueError("\\x1b[2K\\rPASS  d_ln_x2 \\u202e")\n'
    results, _ = run(write(tmp_path, sneaky, replaces="d_ln_x2"))
    message = results["d_ln_x2"].message
    assert results["d_ln_x2"].status == "error"
    assert "\x1b" not in message and "\r" not in message and "\u202e" not in message
    assert "\\u001b[2K\\u000dPASS" in message
    assert passed(results, "d_x_plus_x2")


# -- lying values --------------------------------------------------------------------------


def test_an_object_that_claims_to_equal_everything_is_an_error(tmp_path):
    """__eq__ is never asked: the object is not a real number, so the exercise is an error."""
    liar = """
    class Anything:
        def __eq__(self, other):
            return True
        def __ne__(self, other):
            return False
    def d_ln_x2(x):
        return Anything()
    """
    results, _ = run(write(tmp_path, liar, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "error"
    assert "not real numbers" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_an_object_whose_array_method_lies_is_graded_by_the_array_it_gives(tmp_path):
    """__array__ is read once, in the worker; its numbers are what is compared."""
    liar = """
    class Answer:
        def __init__(self, x):
            self.x = x
        def __array__(self, dtype=None, copy=None):
            return np.asarray(1 / self.x**2)
        def __eq__(self, other):
            return True
        def __float__(self):
            return 2 / self.x
    def d_ln_x2(x):
        return Answer(x)
    """
    results, _ = run(write(tmp_path, liar, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "failed"
    assert results["d_ln_x2"].identities[1].diagnosis == "chain-rule"
    assert passed(results, "d_x_plus_x2")


def test_a_float_whose_arithmetic_lies_is_graded_by_its_value(tmp_path):
    """A float subclass that says it equals, subtracts to 0 and is close to anything fails."""
    liar = """
    class Close(float):
        def __eq__(self, other):
            return True
        def __sub__(self, other):
            return 0.0
        __rsub__ = __sub__
        def __abs__(self):
            return 0.0
        def __lt__(self, other):
            return True
        __le__ = __lt__
    def d_ln_x2(x):
        return Close(1 / x**2)
    """
    results, _ = run(write(tmp_path, liar, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "failed"
    assert passed(results, "d_x_plus_x2")


def test_a_sequence_whose_len_lies_is_an_error(tmp_path):
    """A __len__ of 10**12 cannot make the worker or the grader allocate it: an error."""
    liar = """
    class Ones:
        def __len__(self):
            return 10**12
        def __getitem__(self, i):
            return 1.0
    def grad_sum(x):
        return Ones()
    """
    results, _ = run(write(tmp_path, liar, replaces="grad_sum"), only=("grad_sum", "d_ln_x2"))
    assert results["grad_sum"].status == "error"
    assert "not an array" in results["grad_sum"].message
    assert passed(results, "d_ln_x2")


def test_an_ndarray_subclass_is_graded_by_its_data_not_its_methods(tmp_path):
    """A subclass overriding __eq__, tolist, astype, ravel and __array__ is read as plain data."""
    liar = """
    class Fake(np.ndarray):
        def __eq__(self, other):
            return np.ones(np.shape(other), dtype=bool)
        def tolist(self):
            return np.ones(self.shape).tolist()
        def astype(self, *args, **kwargs):
            return np.ones(self.shape)
        def ravel(self, *args, **kwargs):
            return np.ones(self.size)
        def __array__(self, *args, **kwargs):
            return np.ones(self.shape)
    def grad_sum(x):
        return (2 * np.ones_like(x)).view(Fake)
    """
    results, _ = run(write(tmp_path, liar, replaces="grad_sum"), only=("grad_sum", "d_ln_x2"))
    assert results["grad_sum"].status == "failed"
    assert results["grad_sum"].identities[1].diagnosis == "factor"
    assert passed(results, "d_ln_x2")


def test_nan_is_never_a_right_answer(tmp_path):
    """NaN compares as a mismatch, never as a pass."""
    path = write(tmp_path, "def d_ln_x2(x):\n    return float('nan')\n", replaces="d_ln_x2")
    results, _ = run(path)
    assert results["d_ln_x2"].status == "failed"
    assert "nan" in results["d_ln_x2"].identities[1].message
    assert passed(results, "d_x_plus_x2")


def test_infinity_is_never_a_right_answer(tmp_path):
    """Infinity compares as a mismatch, never as a pass."""
    path = write(tmp_path, "def d_ln_x2(x):\n    return float('inf')\n", replaces="d_ln_x2")
    results, _ = run(path)
    assert results["d_ln_x2"].status == "failed"
    assert "inf" in results["d_ln_x2"].identities[1].message
    assert passed(results, "d_x_plus_x2")


def test_complex_numbers_are_an_error_even_with_a_zero_imaginary_part(tmp_path):
    """The answer is real: a complex result is refused with a message that says so."""
    path = write(tmp_path, "def d_ln_x2(x):\n    return 2 / x + 0j\n", replaces="d_ln_x2")
    results, _ = run(path)
    assert results["d_ln_x2"].status == "error"
    assert "complex numbers; the answer is real" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_an_object_array_of_non_numbers_is_an_error(tmp_path):
    """An object array holding a dict is not a real array."""
    path = write(
        tmp_path, "def d_ln_x2(x):\n    return np.array([{}], dtype=object)\n", replaces="d_ln_x2"
    )
    results, _ = run(path)
    assert results["d_ln_x2"].status == "error"
    assert "object values that are not real numbers" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_a_string_array_is_an_error_even_when_it_spells_the_right_number(tmp_path):
    """Text is not parsed into numbers: np.array([str(2 / x)]) is an error."""
    path = write(tmp_path, "def d_ln_x2(x):\n    return np.array([str(2 / x)])\n", replaces="d_ln_x2")
    results, _ = run(path)
    assert results["d_ln_x2"].status == "error"
    assert "not real numbers" in results["d_ln_x2"].message
    assert passed(results, "d_x_plus_x2")


def test_a_giant_array_is_an_error_and_is_never_sent_to_the_grader(tmp_path):
    """Five million numbers for a gradient of a few are refused in the worker."""
    path = write(tmp_path, "def grad_sum(x):\n    return np.zeros(5_000_000)\n", replaces="grad_sum")
    results, _ = run(path, only=("grad_sum", "d_ln_x2"))
    assert results["grad_sum"].status == "error"
    assert "far more than asked for" in results["grad_sum"].message
    assert passed(results, "d_ln_x2")


# -- tampering -----------------------------------------------------------------------------


def test_monkeypatching_numpy_and_builtins_cannot_make_a_wrong_answer_pass(tmp_path):
    """The comparison runs in the grader: patched allclose, testing and abs change nothing."""
    patched = """
    import builtins, math
    np.allclose = lambda *a, **k: True
    np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), dtype=bool)
    np.array_equal = lambda *a, **k: True
    np.testing.assert_allclose = lambda *a, **k: None
    np.testing.assert_array_equal = lambda *a, **k: None
    math.isclose = lambda *a, **k: True
    builtins.abs = lambda v: 0.0
    builtins.all = lambda v: True
    def d_ln_x2(x):
        return 1 / x**2
    """
    results, _ = run(write(tmp_path, patched, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "failed"
    assert results["d_ln_x2"].identities[1].diagnosis == "chain-rule"
    assert passed(results, "d_x_plus_x2")


def test_the_graders_modules_cannot_be_imported_even_past_the_import_blocker(tmp_path, isolation):
    """Removing the blocker and adding the project to sys.path still finds no grader module."""
    need(isolation, "filesystem")
    reach = f"""
    import sys
    def d_ln_x2(x):
        sys.meta_path[:] = [f for f in sys.meta_path if "Blocker" not in type(f).__name__]
        sys.path.insert(0, {str(PROJECT)!r})
        import reference.scalar
        return 2 / x
    """
    results, _ = run(write(tmp_path, reach, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "error"
    # Not there (a private root), or there and refused (Landlock: PermissionError reading it).
    message = results["d_ln_x2"].message
    assert message.startswith(("ModuleNotFoundError: No module named 'reference", "PermissionError"))
    assert passed(results, "d_x_plus_x2")


def test_the_workers_own_modules_cannot_be_imported_by_a_submission(tmp_path):
    """The worker's helpers are loaded by path and kept out of sys.modules: no import finds them."""
    reach = """
    import sys
    def d_ln_x2(x):
        if [m for m in sys.modules if m.startswith("_matgrade")]:
            raise RuntimeError("a helper of the worker is in sys.modules")
        for name in ("_matgrade_worker_blocker", "_matgrade_worker_answers", "answers", "framing", "confine"):
            try:
                __import__(name)
            except ImportError:
                continue
            raise RuntimeError(f"imported {name}")
        return 2 / x
    """
    results, _ = run(write(tmp_path, reach, replaces="d_ln_x2"))
    assert passed(results, "d_ln_x2", "d_x_plus_x2"), results["d_ln_x2"].message


def test_the_graders_files_cannot_be_read(tmp_path, isolation):
    """The reference answers and the worked examples are not in the worker's file system."""
    need(isolation, "filesystem")
    peek = f"""
    def d_ln_x2(x):
        open({str(PROJECT / "reference" / "scalar.py")!r}).read()
        return 2 / x
    """
    results, _ = run(write(tmp_path, peek, replaces="d_ln_x2"))
    assert results["d_ln_x2"].status == "error"
    # Not there (a private root), or there and refused (Landlock).
    assert results["d_ln_x2"].message.startswith(("FileNotFoundError", "PermissionError"))
    assert passed(results, "d_x_plus_x2")


def test_files_outside_the_scratch_directory_cannot_be_written(tmp_path, isolation):
    """Writing next to the submission or into the grader's package leaves nothing behind."""
    need(isolation, "user")
    planted = [tmp_path / "planted.py", PROJECT / "grader" / f"planted_{os.getpid()}.py"]
    plant = f"""
    def d_ln_x2(x):
        for path in {[str(p) for p in planted]!r}:
            try:
                open(path, "w").write("PASSED = True")
            except OSError:
                pass
        return 2 / x
    """
    try:
        results, _ = run(write(tmp_path, plant, replaces="d_ln_x2"))
        written = [p for p in planted if p.exists()]
    finally:
        for path in planted:
            path.unlink(missing_ok=True)
    assert passed(results, "d_ln_x2", "d_x_plus_x2") and written == []


def test_fake_report_files_written_by_the_student_change_nothing(tmp_path, isolation):
    """Reports written to the cwd, HOME, /tmp or beside the file are never read, nor kept."""
    need(isolation, "filesystem")
    names = [f"report-{os.getpid()}.json", f"results-{os.getpid()}.json"]
    fake = f"""
    import json, os
    FAKE = json.dumps({{"score": 41, "status": "passed"}})
    def d_ln_x2(x):
        for folder in (".", os.environ["HOME"], "/tmp", {str(tmp_path)!r}):
            for name in {names!r}:
                try:
                    open(os.path.join(folder, name), "w").write(FAKE)
                except OSError:
                    pass
        return 1 / x**2
    """
    outside = [folder / name for folder in (tmp_path, Path("/tmp")) for name in names]
    try:
        results, report = run(write(tmp_path, fake, replaces="d_ln_x2"))
        written = [p for p in outside if p.exists()]
    finally:
        for path in outside:
            path.unlink(missing_ok=True)
    assert results["d_ln_x2"].status == "failed" and report.score < report.max_score
    assert passed(results, "d_x_plus_x2") and written == []


def test_the_scratch_directory_is_writable_for_the_students_own_files(tmp_path):
    """Confinement leaves a private scratch directory (cwd, HOME, TMPDIR) that works."""
    scratch = """
    import os, tempfile
    def d_ln_x2(x):
        with open("cache.txt", "w") as f:
            f.write(repr(2 / x))
        with tempfile.NamedTemporaryFile("w") as t:
            t.write("ok")
        with open(os.path.join(os.environ["HOME"], "cache.txt")) as f:
            return float(f.read())
    """
    results, _ = run(write(tmp_path, scratch, replaces="d_ln_x2"))
    assert passed(results, "d_ln_x2", "d_x_plus_x2")


def test_a_huge_file_in_the_scratch_directory_is_an_error_and_fills_no_disk(tmp_path):
    """Files are capped at file_mb: writing 200 MB stops at the limit (8 MiB here) with an error."""
    fill = """
    def d_ln_x2(x):
        with open("big.bin", "wb") as f:
            for _ in range(200):
                f.write(b"0" * 2**20)
        return 2 / x
    """
    limits = dataclasses.replace(LIMITS, file_mb=8)
    results, _ = run(write(tmp_path, fill, replaces="d_ln_x2"), limits=limits)
    message = results["d_ln_x2"].message
    assert results["d_ln_x2"].status == "error"
    assert "No space left on device" in message or "File too large" in message or "SIGXFSZ" in message
    assert passed(results, "d_x_plus_x2")


# -- network -------------------------------------------------------------------------------


def test_student_code_cannot_open_a_network_connection(tmp_path, isolation):
    """The worker's private network has no interface up and seccomp refuses any socket but
    AF_UNIX: even loopback is unreachable (the filter answers first, where it is loaded)."""
    need(isolation, "network")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        port = server.getsockname()[1]
        call = f"""
        import socket
        def d_ln_x2(x):
            socket.create_connection(("127.0.0.1", {port}), timeout=0.3).close()
            return 2 / x
        """
        results, _ = run(write(tmp_path, call, replaces="d_ln_x2"))
        with pytest.raises(BlockingIOError):
            server.accept()
    assert results["d_ln_x2"].status == "error"
    message = results["d_ln_x2"].message
    assert "Network is unreachable" in message or "Address family not supported" in message
    assert passed(results, "d_x_plus_x2")


# -- broken submissions --------------------------------------------------------------------


def unloadable(path: Path | str) -> str:
    """Grade a file that cannot be loaded: every exercise is an error; the one message."""
    results, report = run(path)
    assert [r.status for r in results.values()] == ["error", "error"]
    assert all(r.message == "the submission could not be loaded" for r in results.values())
    assert not report.loaded and len(report.errors) == 1
    return report.errors[0]


def test_a_missing_path_is_reported_with_what_to_do(tmp_path):
    """A path that does not exist says so and asks to check it."""
    assert unloadable(tmp_path / "nope.py").endswith("nope.py: no such file. Check the path and try again.")


def test_a_directory_is_reported_with_what_to_do(tmp_path):
    """A directory is not a submission; the message asks for the .py file."""
    assert "is a directory. Give the path of your .py file." in unloadable(tmp_path)


def test_an_empty_notebook_file_is_reported_with_what_to_do(tmp_path):
    """A 0-byte .ipynb is no notebook: it says it is empty (an empty .py loads; see test_status)."""
    path = tmp_path / "empty.ipynb"
    path.write_text("")
    assert "empty.ipynb is empty. Save your notebook from Jupyter" in unloadable(path)


def test_a_binary_file_is_reported_with_what_to_do(tmp_path):
    """Bytes with NULs are not Python source."""
    path = tmp_path / "binary.py"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 10)
    assert "binary.py is a binary file, not Python source code" in unloadable(path)


def test_a_file_that_is_not_utf8_is_reported_with_what_to_do(tmp_path):
    """Latin-1 text names the offending byte and asks to save as UTF-8."""
    path = tmp_path / "latin.py"
    path.write_bytes("# café\ndef d_ln_x2(x):\n    return 2 / x\n".encode("latin-1"))
    message = unloadable(path)
    assert "is not UTF-8 text (byte 5 cannot be decoded)" in message
    assert "Save it as UTF-8" in message


def test_a_syntax_error_shows_the_line_and_a_caret(tmp_path):
    """The message names the line, quotes it and points at the error."""
    path = tmp_path / "typo.py"
    path.write_text("import numpy as np\n\ndef d_ln_x2(x)\n    return 2 / x\n")
    message = unloadable(path)
    assert f"syntax error in {path}, line 3: expected ':'" in message
    assert "\n    def d_ln_x2(x)\n                  ^\n" in message
    assert message.endswith("Fix the line and grade again.")


def test_an_oversized_file_is_refused_before_it_is_read_whole(tmp_path):
    """A file above the size limit is refused with the limit in the message."""
    path = tmp_path / "huge.py"
    path.write_text("# padding\n" * 300_000)
    assert "is larger than 2048 KiB, the most a submission may be" in unloadable(path)


def test_a_fifo_is_refused_instead_of_hanging(tmp_path):
    """A named pipe would block a read forever; it is refused as not a regular file."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    assert "is not a regular file" in unloadable(path)
