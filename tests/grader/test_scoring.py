"""The scoring rule: no credit for an answer that is not right, partial credit by right parts."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercises import all_exercises
from grader.checking import Parts, score
from grader.grading import Options, grade

ROOT = Path(__file__).resolve().parents[2]
CORRECT = (ROOT / "examples" / "correct.py").read_text()
NAMES = tuple(e.name for e in all_exercises())

# Every contract function of examples/correct.py, replaced by a wrapper that changes its answer.
WRAPPER = '''

import functools as _functools


def _each(value, change):
    if isinstance(value, tuple):
        return tuple(_each(v, change) for v in value)
    if isinstance(value, list):
        return [_each(v, change) for v in value]
    return change(np.asarray(value, dtype=np.float64))


def _wrapped(function):
    @_functools.wraps(function)
    def answer(*args):
        return WHOLE(function(*args))
    return answer


for _name in NAMES:
    globals()[_name] = _wrapped(globals()[_name])
'''

# What every function returns instead of its right answer: (name, WHOLE's definition).
DEGENERATE = {
    "zero": "lambda a: _each(a, np.zeros_like)",
    "empty array": "lambda a: np.zeros(0)",
    "constant": "lambda a: 0.123",
    "constant of the right shape": "lambda a: _each(a, lambda v: np.full_like(v, 0.123))",
    "random of the right shape": (
        "lambda a: _each(a, lambda v: np.random.default_rng(7).uniform(-2, 2, size=v.shape))"
    ),
    "wrong shape": "lambda a: _each(a, lambda v: np.append(np.ravel(v), 1.0))",
    "right times 1.0001": "lambda a: _each(a, lambda v: v * 1.0001)",
}


def _submission(tmp_path: Path, whole: str) -> str:
    path = tmp_path / "answers.py"
    path.write_text(f"{CORRECT}\nNAMES = {NAMES!r}\nWHOLE = {whole}\n{WRAPPER}")
    return str(path)


@pytest.mark.parametrize("kind", list(DEGENERATE))
def test_a_degenerate_answer_scores_nothing_on_any_of_the_41_exercises(tmp_path, kind):
    """Zero, empty, constant, random, wrong-shaped and 1.0001x answers fail every exercise with 0 points.

    Graded with partial credit on: the most generous rule scores them 0, so the default does too.
    """
    path = _submission(tmp_path, DEGENERATE[kind])
    report = grade(path, Options(examples=25, partial_credit=True))
    assert report.loaded
    scored = {e.name: (e.status, e.score) for e in report.exercises if e.status == "passed" or e.score}
    assert scored == {}
    assert report.score == 0
    assert report.status in ("failed", "error")
    assert report.exit_code == 1


def test_the_wrapper_itself_leaves_a_right_answer_right(tmp_path):
    """The identity change scores full marks, so the degenerate answers above fail for their values."""
    path = _submission(tmp_path, "lambda a: a")
    report = grade(path, Options(examples=10, only=("neuron", "loss", "vector_chain")))
    assert report.status == "passed"
    assert report.score == report.max_score


def test_an_identity_that_cannot_be_evaluated_fails_instead_of_passing(tmp_path):
    """`return 0` from vector_chain fails 'composes the linear maps'; 0.123 fails finite differences."""
    path = tmp_path / "zero.py"
    path.write_text("def vector_chain(J_f, J_g):\n    return 0\n\ndef grad_3x2y(x, y):\n    return 0.123\n")
    report = grade(str(path), Options(examples=10, only=("vector_chain", "grad_3x2y")))
    for result in report.exercises:
        assert result.score == 0
        passed = [i.name for i in result.identities if i.status == "passed"]
        assert passed == [], (result.name, passed)
    chain = next(e for e in report.exercises if e.name == "vector_chain")
    composes = next(i for i in chain.identities if i.name.startswith("composes"))
    # At 1 x 1 (the smallest input) the scalar 0 has the one entry expected and is compared;
    # at any larger size the identity says it cannot be checked: it fails either way.
    assert composes.status == "failed"
    assert composes.counterexample is not None
    assert composes.counterexample.inputs == {"J_f": [[1.0]], "J_g": [[1.0]]}


LS04 = '''
import numpy as np


def mse_grad(w, b, X, y):
    N = X.shape[0]
    z = X @ w + b
    e = np.maximum(0, z) - y
    mask = (z > 0).astype(float)
    return (2 / N) * (e * mask) @ X, (2 / N) * np.sum(e)
'''


def test_partial_credit_counts_the_parts_of_the_answer_that_are_right(tmp_path):
    """mse_grad with dC/db unmasked: 0 by default; 1/3 of its point with partial credit (1 of 2 parts)."""
    path = tmp_path / "ls04.py"
    path.write_text(LS04)
    strict = grade(str(path), Options(examples=30, only=("mse_grad",)))
    generous = grade(str(path), Options(examples=30, only=("mse_grad",), partial_credit=True))
    assert strict.exercises[0].status == generous.exercises[0].status == "failed"
    assert strict.score == 0
    assert generous.score == pytest.approx(1 / 3, abs=1e-4)


def test_a_failing_exercise_never_scores_full_points_and_an_error_scores_nothing():
    """score(): k of n right parts give k/(n+1); passed gives the points; error and missing give 0."""
    assert score(3.0, "passed", None) == 3.0
    assert score(3.0, "failed", None) == 0.0
    assert score(3.0, "failed", Parts(right=2, total=2)) == 2.0
    assert score(3.0, "failed", Parts(right=0, total=1)) == 0.0
    assert score(3.0, "error", Parts(right=2, total=2)) == 0.0
    assert score(3.0, "missing", Parts(right=2, total=2)) == 0.0
