"""The worker process: plain numbers in and out, and failures that cost only one call."""

from __future__ import annotations

import numpy as np
import pytest

from grader.sandbox import Crashed, Limits, Missing, Raised, Returned, Sandbox

SOURCE = """
import numpy as np
import sys, os

def double(x):
    return 2 * x

def pair(w, x):
    return np.eye(len(w)), (-x).astype(np.float32)

def boom(x):
    raise ValueError("bad input")

def stub(x):
    raise NotImplementedError

def spin(x):
    while True:
        pass

def leave(x):
    sys.exit(0)

def die(x):
    os._exit(3)

def nothing(x):
    pass

def complex_answer(x):
    return x + 1j

def text(x):
    return "2*x"

def peek(x):
    import grader
"""


@pytest.fixture(scope="module")
def sandbox():
    """One worker for the module's tests; restarted by the tests that kill it."""
    # 2 s per call: far above what a right call needs on a loaded machine; `spin` waits for it once.
    with Sandbox(SOURCE, "/tmp/student.py", Limits(call_seconds=2.0)) as box:
        assert box.load().error is None
        yield box


def test_a_returned_array_comes_back_as_float64_values(sandbox):
    """The worker sends plain numbers; the grader rebuilds float64 arrays."""
    [outcome] = sandbox.call("double", "leaf", [(np.array([1.0, 2.5]),)])
    assert isinstance(outcome, Returned)
    assert outcome.value.values.tolist() == [2.0, 5.0]
    assert outcome.value.dtype == "float64"


def test_a_tuple_keeps_each_results_dtype(sandbox):
    """float32 answers are reported as float32 (K14 tolerances depend on it)."""
    [outcome] = sandbox.call("pair", ["tuple", ["leaf", "leaf"]], [(np.ones(2), np.ones(2))])
    assert isinstance(outcome, Returned)
    eye, neg = outcome.value
    assert eye.values.shape == (2, 2) and neg.dtype == "float32"


def test_an_exception_is_reported_with_the_students_line(sandbox):
    """A raising function is Raised, with type, message and the line in the student's file."""
    [outcome] = sandbox.call("boom", "leaf", [(1.0,)])
    assert isinstance(outcome, Raised)
    assert (outcome.type, outcome.message, outcome.line) == ("ValueError", "bad input", 12)


def test_not_implemented_counts_as_missing(sandbox):
    """A stub raising NotImplementedError is Missing, not an error."""
    assert sandbox.call("stub", "leaf", [(1.0,)]) == [Missing()]


@pytest.mark.parametrize(
    ("name", "words"),
    [("nothing", "None"), ("complex_answer", "complex"), ("text", "not real")],
)
def test_values_that_are_not_real_arrays_are_refused(sandbox, name, words):
    """None, complex numbers and strings are Raised with a message that says so."""
    [outcome] = sandbox.call(name, "leaf", [(np.ones(2),)])
    assert isinstance(outcome, Raised)
    assert words in outcome.message


def test_a_hanging_function_times_out_and_the_worker_restarts(sandbox):
    """An infinite loop costs one call's time limit; the next call works again."""
    [outcome] = sandbox.call("spin", "leaf", [(1.0,)])
    assert isinstance(outcome, Crashed) and "timed out (the limit is 2 s per call)" in outcome.reason
    [after] = sandbox.call("double", "leaf", [(1.0,)])
    assert isinstance(after, Returned)


def test_sys_exit_in_a_function_is_an_exception_not_an_exit(sandbox):
    """sys.exit() inside a call is caught in the worker and reported as SystemExit."""
    [outcome] = sandbox.call("leave", "leaf", [(1.0,)])
    assert isinstance(outcome, Raised) and outcome.type == "SystemExit"


def test_a_worker_that_dies_is_replaced(sandbox):
    """os._exit kills the worker: the call is Crashed and a fresh worker answers next."""
    [outcome] = sandbox.call("die", "leaf", [(1.0,)])
    assert isinstance(outcome, Crashed) and "exit code 3" in outcome.reason
    [after] = sandbox.call("double", "leaf", [(3.0,)])
    assert isinstance(after, Returned) and float(after.value.values) == 6.0


def test_student_code_cannot_import_the_grader(sandbox):
    """The grader's own packages are blocked inside the worker."""
    [outcome] = sandbox.call("peek", "leaf", [(1.0,)])
    assert isinstance(outcome, Raised) and outcome.type == "ImportError"


def test_a_syntax_error_is_reported_with_line_and_offset():
    """Loading a file that does not parse gives the line, the offset and the text."""
    with Sandbox("def f(x):\n    return x +\n", "/tmp/bad.py") as box:
        error = box.load().error
    assert error is not None and error.type == "SyntaxError" and error.line == 2


def test_exiting_at_import_is_a_load_error():
    """sys.exit() at the top level of the file is a load error naming SystemExit."""
    with Sandbox("import sys\nsys.exit(1)\n", "/tmp/exit.py") as box:
        error = box.load().error
    assert error is not None and error.type == "SystemExit"


DEVICES = """
import numpy as np

with open("/dev/urandom", "rb") as source:  # what torch's import does
    SEED = source.read(8)
with open("/dev/null", "w") as sink:
    sink.write("import-time noise")

def devices(x):
    with open("/dev/zero", "rb") as zeros, open("/dev/random", "rb") as random:
        data = zeros.read(4) + random.read(4)
    try:
        with open("/dev/full", "w") as full:
            full.write("x")
            full.flush()
        full_refused = 0.0
    except OSError:
        full_refused = 1.0  # ENOSPC: the device works as on the host
    return np.array([len(SEED), float(sum(data[:4])), len(data), full_refused]) + 0 * x
"""


def test_the_five_device_nodes_can_be_opened_in_the_worker():
    """/dev/null, zero, full, random and urandom work at import and in a call (not `nodev`)."""
    with Sandbox(DEVICES, "/tmp/student.py", Limits(call_seconds=5.0)) as box:
        loaded = box.load()
        assert loaded.error is None, loaded.error
        [outcome] = box.call("devices", "leaf", [(np.zeros(1),)])
    assert isinstance(outcome, Returned), outcome
    assert outcome.value.values.tolist() == [8.0, 0.0, 8.0, 1.0]
