"""Pack exercises graded like built-ins: right answers in several styles pass, labelled mistakes are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.grading import Options, grade
from grader.pack.registry import forget

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COURSE = str(EXAMPLES / "course_pack.py")

# The same four answers written otherwise: loops and lists, einsum, float32, a matrix product order.
LOOPS = """
import math
import numpy as np


def softmax_jacobian(z):
    e = [math.exp(v) for v in z]
    total = sum(e)
    s = [v / total for v in e]
    n = len(s)
    return [[s[i] * ((1.0 if i == j else 0.0) - s[j]) for j in range(n)] for i in range(n)]


def cross_entropy_grad(z, y):
    s = np.exp(z) / np.sum(np.exp(z))
    return [s[i] * float(np.sum(y)) - y[i] for i in range(len(z))]


def tanh_layer_jacobian(W, x, b):
    J = np.zeros_like(W)
    for i in range(W.shape[0]):
        d = 1 - math.tanh(float(W[i] @ x + b[i])) ** 2
        for j in range(W.shape[1]):
            J[i, j] = d * W[i, j]
    return J


def least_squares_grad(X, W, Y):
    G = np.zeros(W.shape)
    R = X @ W - Y
    for a in range(W.shape[0]):
        for c in range(W.shape[1]):
            G[a, c] = 2 * sum(R[r, c] * X[r, a] for r in range(X.shape[0]))
    return G
"""

EINSUM = """
import numpy as np


def softmax_jacobian(z):
    s = np.exp(z - np.max(z)).astype(np.float32)
    s = s / s.sum()
    return np.einsum("i,ij->ij", s, np.eye(len(s), dtype=np.float32)) - np.einsum("i,j->ij", s, s)


def cross_entropy_grad(z, y):
    logsumexp = np.log(np.exp(z).sum())
    return np.exp(z - logsumexp) * y.sum() - y


def tanh_layer_jacobian(W, x, b):
    return np.diag(1 - np.tanh(W @ x + b) ** 2) @ W


def least_squares_grad(X, W, Y):
    return np.einsum("ra,rc->ac", X, 2 * (X @ W - Y))
"""

# Each wrong answer with the mistake class it must be named by.
WRONG = """
import numpy as np


def softmax_jacobian(z):
    s = np.exp(z) / np.exp(z).sum()
    return 2 * (np.diag(s) - np.outer(s, s))          # factor


def cross_entropy_grad(z, y):
    return np.exp(z) / np.exp(z).sum() - y            # wrong-rule: assumes sum(y) = 1 (declared)


def tanh_layer_jacobian(W, x, b):
    return (np.tanh(W @ x + b) ** 2 - 1)[:, None] * W  # sign


def least_squares_grad(X, W, Y):
    return 2 * X.T @ (Y - X @ W)                      # sign
"""

MISTAKES = {
    "course_mistakes.py": {
        "softmax_jacobian": "wrong-rule",
        "cross_entropy_grad": "sign",
        "tanh_layer_jacobian": "transpose",
        "least_squares_grad": "factor",
    },
    "wrong.py": {
        "softmax_jacobian": "factor",
        "cross_entropy_grad": "wrong-rule",
        "tanh_layer_jacobian": "sign",
        "least_squares_grad": "sign",
    },
}


@pytest.fixture(autouse=True)
def _unloaded():
    """Every test starts and ends with no pack in the catalogue."""
    forget()
    yield
    forget()


def _graded(path: Path | str, **options):
    return grade(str(path), Options(packs=(COURSE,), examples=30, **options))


@pytest.mark.parametrize("source", [None, LOOPS, EINSUM], ids=["vectorised", "loops", "einsum-float32"])
def test_right_answers_in_several_styles_pass_every_pack_exercise(tmp_path, source):
    """examples/course_correct.py, and the same answers with loops and lists or einsum in float32, pass."""
    path = EXAMPLES / "course_correct.py"
    if source is not None:
        path = tmp_path / "answers.py"
        path.write_text(source)
    report = _graded(path)
    assert [(e.name, e.status) for e in report.exercises] == [
        ("softmax_jacobian", "passed"),
        ("cross_entropy_grad", "passed"),
        ("tanh_layer_jacobian", "passed"),
        ("least_squares_grad", "passed"),
    ]
    assert report.exit_code == 0


@pytest.mark.slow  # grades whole files: run by .ci/run, left out of the README's command
@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_labelled_wrong_answers_fail_with_the_name_of_their_mistake(tmp_path, name):
    """Each wrong answer fails, and the reference identity names its mistake class."""
    path = EXAMPLES / name
    if name == "wrong.py":
        path = tmp_path / name
        path.write_text(WRONG)
    report = _graded(path)
    assert report.exit_code == 1
    for exercise in report.exercises:
        assert exercise.status == "failed", exercise.name
        reference = next(i for i in exercise.identities if i.name == "matches the reference answer")
        assert reference.diagnosis == MISTAKES[name][exercise.name], exercise.name


def test_only_selects_within_a_pack_and_the_pack_is_a_set(tmp_path):
    """--only names a pack exercise or the pack's set; built-ins can be added beside it."""
    report = _graded(EXAMPLES / "course_correct.py", only=("least_squares_grad", "d_sin_x2"))
    assert [e.name for e in report.exercises] == ["d_sin_x2", "least_squares_grad"]
    assert report.exercises[0].status == "missing"
    report = _graded(EXAMPLES / "course_correct.py", only=("course",))
    assert len(report.exercises) == 4


def test_a_kink_declared_in_a_pack_gets_the_k3_check(tmp_path):
    """A ReLU layer declared in sympy with a kink accepts H(0) = 0 and names the convention used."""
    pack = tmp_path / "relus.py"
    pack.write_text(
        "import numpy as np\nimport sympy as sp\nfrom matgrade.pack import Kink, Pack, matrix, size, vector\n"
        'pack = Pack("relus")\nn = size("n", 1, 4)\nm = size("m", 1, 4)\n'
        'pack.add("relu_jac", params=[matrix("W", m, n), vector("x", n), vector("b", m)],\n'
        '         value=vector("y", m),\n'
        '         wrt="x", sympy=lambda W, x, b: (W * x + b).applyfunc(lambda t: sp.Max(0, t)),\n'
        '         kink=Kink(at=lambda W, x, b: W @ x + b, bias="b"), task="Return dy/dx.")\n'
    )
    answer = tmp_path / "answer.py"
    answer.write_text(
        "import numpy as np\n"
        "def relu_jac(W, x, b):\n    return ((W @ x + b) > 0).astype(float)[:, None] * W\n"
    )
    report = grade(str(answer), Options(packs=(str(pack),), examples=30))
    [exercise] = report.exercises
    assert exercise.status == "passed"
    kink = [i for i in exercise.identities if "K3" in i.name]
    assert kink and "H(0) = 0" in kink[0].message


@pytest.mark.slow  # grades whole files: run by .ci/run, left out of the README's command
def test_the_json_report_of_a_pack_is_byte_identical_for_a_seed():
    """Same submission, same pack, same seed: the same JSON, byte for byte."""
    from grader.render import render

    first = render(_graded(EXAMPLES / "course_mistakes.py"), "json")
    forget()
    second = render(_graded(EXAMPLES / "course_mistakes.py"), "json")
    assert first == second


@pytest.mark.slow  # grades whole files: run by .ci/run, left out of the README's command
def test_every_report_format_renders_a_pack_report():
    """text, json, gradescope, junit, github, markdown and html all carry the pack's exercises."""
    from grader.render import FORMATS, render

    report = _graded(EXAMPLES / "course_mistakes.py", only=("least_squares_grad",))
    for fmt in FORMATS:
        text = render(report, fmt)
        assert "least_squares_grad" in text or fmt == "github", fmt


def least_squares_grad(X, W, Y):
    """A right answer to the course pack's least_squares_grad, for check()."""
    return 2 * X.T @ (X @ W - Y)


def test_check_in_a_notebook_finds_the_exercise_in_the_pack_it_is_given():
    """check(fn, pack=...) grades the function against the pack; a bad pack is a message, not an exception."""
    from matgrade import check

    result = check(least_squares_grad, pack=COURSE, examples=20)
    assert result.report.exercises[0].status == "passed"
    forget()
    refused = check(least_squares_grad, pack="no_such_pack.py")
    assert "no pack file" in refused.report.errors[0]
