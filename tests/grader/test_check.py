"""Checking one exercise: derived declarations, K3 at the kink, minimal counterexamples, messages."""

from __future__ import annotations

import ast
import math
import re

import numpy as np
import pytest

from exercises import by_name
from grader.checking import Settings, check_exercise
from grader.exercise import any_value, from_primal
from grader.sandbox import Sandbox
from reference.symbolic import Primal

SETTINGS = Settings(seed=11, examples=30)


def run(source: str, exercise):
    with Sandbox(source, "/tmp/student.py") as sandbox:
        assert sandbox.load().error is None
        return check_exercise(exercise, sandbox, SETTINGS)


CUBE = from_primal(
    name="d_x_cubed",
    set="scalar",
    primal=Primal("x**3", ("x",)),
    domains={"x": any_value()},
    task="Return the derivative of x^3.",
    section="P&H §2",
    catalogue=("SC-03",),
)


def test_an_exercise_declared_by_its_primal_alone_grades_a_right_answer():
    """from_primal derives reference, inputs and identities: 3x^2 passes all of them."""
    result = run("def d_x_cubed(x):\n    return 3 * x**2\n", CUBE)
    assert result.status == "passed"
    names = [i.name for i in result.identities]
    assert names[:2] == [
        "returns results of the shapes the contract states (K2, K4, K10)",
        "matches the reference answer",
    ]
    assert "finite differences of f = x**3" in names[2]


def test_a_derived_exercise_rejects_a_wrong_power_rule_with_a_factor_diagnosis():
    """x^2 for d/dx x^3 fails the reference and finite differences, shrunk to a small x."""
    result = run("def d_x_cubed(x):\n    return x**2\n", CUBE)
    assert result.status == "failed"
    failed = [i for i in result.identities if i.status == "failed"]
    assert len(failed) == 2
    example = failed[0].counterexample
    assert example is not None and abs(example.inputs["x"]) <= 1.0


@pytest.mark.parametrize(
    ("mask", "convention"),
    [("z > 0", "H(0) = 0"), ("z >= 0", "H(0) = 1"), ("(z > 0) + 0.5 * (z == 0)", "H(0) = 1/2")],
)
def test_any_subgradient_is_accepted_at_the_kink_and_named(mask, convention):
    """K3: H(0) = 0, 1 or 1/2 all pass, and the report says which the student used."""
    source = f"""
def neuron_grad(w, b, x):
    z = w @ x + b
    h = float({mask})
    return h * x, h
"""
    result = run(source, by_name()["neuron_grad"])
    assert result.status == "passed"
    kink = result.identities[-1]
    assert kink.name.startswith("any subgradient")
    assert convention in kink.message


def test_a_mask_outside_zero_to_one_fails_only_at_the_kink():
    """H(0) = 2 is no subgradient: the kink identity fails, every other identity holds."""
    source = """
def neuron_grad(w, b, x):
    z = w @ x + b
    h = 1.0 if z > 0 else (2.0 if z == 0 else 0.0)
    return h * x, h
"""
    result = run(source, by_name()["neuron_grad"])
    assert result.status == "failed"
    assert [i.status for i in result.identities] == ["passed", "passed", "passed", "failed"]


def test_a_raising_function_is_an_error_with_its_smallest_input():
    """An exception is shrunk like a failure: the report shows the input and the traceback."""
    source = "def d_x_plus_x2(x):\n    if x > 1:\n        raise ValueError('too big')\n    return 1 + 2 * x\n"
    result = run(source, by_name()["d_x_plus_x2"])
    assert result.status == "error"
    [identity] = result.identities
    assert "ValueError: too big" in identity.message and "line 3" in identity.message
    assert identity.counterexample is not None
    assert 1 < identity.counterexample.inputs["x"] <= 2


def test_a_nondeterministic_function_is_an_error_that_says_so():
    """A function that keeps state between calls answers differently; the message names the cause."""
    source = (
        "calls = [0]\ndef d_x_plus_x2(x):\n    calls[0] += 1\n    return 1 + 2 * x + (calls[0] % 3 == 0)\n"
    )
    result = run(source, by_name()["d_x_plus_x2"])
    assert result.status == "error"
    assert "different results for the same input" in result.message


def direction_of(identity, along: str) -> list[float]:
    """The direction u a finite-difference failure names for the parameter `along`."""
    match = re.search(rf"^\s*direction u along {re.escape(along)} = (.+)$", identity.message, re.MULTILINE)
    assert match is not None, identity.message
    return list(np.atleast_1d(np.array(ast.literal_eval(match.group(1)), dtype=float)))


def test_a_finite_difference_failure_shows_the_direction_it_used():
    """The failure names u, in 4 decimals, so that the answer applied to u gives the `got` shown."""
    result = run("def d_x_cubed(x):\n    return x**2\n", CUBE)
    [identity] = [i for i in result.identities if "finite differences" in i.name]
    assert identity.status == "failed"
    [u] = direction_of(identity, "x")
    assert 0.5 <= abs(u) <= 1 and round(u, 4) == u
    example = identity.counterexample
    x = example.inputs["x"]
    assert example.got == [pytest.approx(x**2 * u, rel=1e-3)]
    assert example.expected == [pytest.approx(3 * x**2 * u, rel=1e-3)]


def test_a_gradient_finite_difference_failure_shows_its_direction_in_every_variable():
    """For a gradient in (x, y) the direction has an entry per variable; g . u is the `got` shown."""
    source = "import math\ndef grad_x2_cos_y(x, y):\n    return [2 * x, -math.sin(x)]\n"
    result = run(source, by_name()["grad_x2_cos_y"])
    [identity] = [i for i in result.identities if "finite differences" in i.name]
    assert identity.status == "failed"
    u = direction_of(identity, "(x, y)")
    assert len(u) == 2
    example = identity.counterexample
    x, y = example.inputs["x"], example.inputs["y"]
    assert example.got == [pytest.approx(2 * x * u[0] - math.sin(x) * u[1], rel=1e-3, abs=1e-3)]
    assert example.expected == [pytest.approx(2 * x * u[0] - math.sin(y) * u[1], rel=1e-3, abs=1e-3)]


def test_a_hypothesis_without_the_patched_private_name_is_refused_loudly(monkeypatch):
    """Without `providers._get_local_constants` grading stops with an error naming the version."""
    import hypothesis
    from hypothesis.internal.conjecture import providers

    from grader.checking import harness
    from grader.errors import GraderError

    original = providers._get_local_constants
    monkeypatch.delattr(providers, "_get_local_constants")
    expected = rf"hypothesis {re.escape(hypothesis.__version__)} has no `providers._get_local_constants`"
    with pytest.raises(GraderError, match=expected), harness.hypothesis_home():
        pass  # pragma: no cover
    monkeypatch.undo()
    assert providers._get_local_constants is original


def test_the_patched_private_name_is_restored_after_a_search():
    """The private home patches Hypothesis for the search only, and puts the original back."""
    from hypothesis.internal.conjecture import providers

    from grader.checking import harness

    original = providers._get_local_constants
    with harness.hypothesis_home():
        assert providers._get_local_constants is not original
    assert providers._get_local_constants is original


def test_a_hypothesis_without_the_constants_cache_is_refused_loudly(monkeypatch):
    """Without `providers.CONSTANTS_CACHE` grading stops with an error naming the version."""
    import hypothesis
    from hypothesis.internal.conjecture import providers

    from grader.checking import harness
    from grader.errors import GraderError

    monkeypatch.delattr(providers, "CONSTANTS_CACHE")
    expected = rf"hypothesis {re.escape(hypothesis.__version__)} has no `providers.CONSTANTS_CACHE.cache`"
    with pytest.raises(GraderError, match=expected), harness.hypothesis_home():
        pass  # pragma: no cover


def _recorded(exercise, settings):
    """The input sets grading draws for `exercise` (a passing submission's), as plain lists."""
    from grader.checking.recording import record

    def plain(value):
        return [plain(v) for v in value] if isinstance(value, list) else np.asarray(value).tolist()

    return [{k: plain(v) for k, v in p.inputs.items()} for p in record(exercise, settings)]


def test_a_hypothesis_test_run_earlier_in_the_process_does_not_change_the_inputs_a_seed_draws():
    """Hypothesis caches the constants a draw may pick, with every loaded module's constants when
    a test outside matgrade drew first; grading empties that cache, so the inputs stay the same."""
    from hypothesis import HealthCheck, given, settings

    from exercises import all_exercises
    from grader.checking.harness import hypothesis_home

    planned = Settings(seed=20261122, examples=25)
    with hypothesis_home():
        pass  # leaves Hypothesis's cache of constants empty, as in a fresh process
    exercises = [e for e in all_exercises() if e.symbolic is None]
    fresh = {e.name: _recorded(e, planned) for e in exercises}
    for exercise in exercises:

        @settings(max_examples=30, database=None, suppress_health_check=list(HealthCheck))
        @given(exercise.inputs())
        def property_test(inputs):  # a user's own, drawing with Hypothesis's own constants
            assert all(isinstance(name, str) for name in inputs)

        property_test()
    assert {e.name: _recorded(e, planned) for e in exercises} == fresh
