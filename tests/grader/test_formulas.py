"""Formula answers (exercises.md, "Symbolic answers"): read safely, graded like functions.

A formula is parsed in the worker by the whitelisted grammar of grader/sandbox/worker/grammar.py, evaluated
at the generated inputs by the usual identities, and compared with the reference by sympy.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import sympy

from exercises import all_exercises, by_name
from grader.checking import MatchesReference, Settings, Shape
from grader.checking.formula import SYMBOLIC_NAME, reference_text, with_symbolic
from grader.grading import Options, grade
from grader.render.json import render_json
from grader.report import ExerciseResult, IdentityResult, Report
from grader.sandbox import Limits, Sandbox, Symbolic
from grader.sandbox.worker import grammar

FORMULA_EXERCISES = [e for e in all_exercises() if e.symbolic is not None]
EXAMPLES = 20
# A verdict the tests expect must not depend on how fast sympy runs on this machine: every
# simplification here takes milliseconds idle; a minute is far beyond any load.
GENEROUS = Limits(symbolic_seconds=60.0, call_seconds=30.0, exercise_seconds=120.0)


def _grade(tmp_path: Path, source: str, *only: str) -> Report:
    path = tmp_path / "answers.py"
    path.write_text(source, encoding="utf-8")
    return grade(str(path), Options(examples=EXAMPLES, only=only, jobs=1, limits=GENEROUS))


def _result(report: Report, name: str) -> ExerciseResult:
    [result] = [e for e in report.exercises if e.name == name]
    return result


def _identity(result: ExerciseResult, name: str) -> IdentityResult:
    [identity] = [i for i in result.identities if i.name == name]
    return identity


# ---- the grammar, without a worker ------------------------------------------------------


@pytest.mark.parametrize("text", ["2/x", "2*x**-1", "2*x^-1", "2 * x ^ (-1)", "ln(x^2)*0 + 2/x", "4/(2*x)"])
def test_equivalent_forms_evaluate_and_simplify_alike(text: str) -> None:
    """Each form of 2/x evaluates to 2/x, and sympy reads it as 2/x."""
    formula = grammar.compile_formula(text, ("x",), np)
    for x in (-3.5, -0.25, 0.5, 7.0):
        assert formula(x) == pytest.approx(2 / x, rel=1e-12)
    x = sympy.Symbol("x", real=True)
    assert sympy.simplify(formula.sympy(sympy) - 2 / x) == 0


def test_ln_and_log_E_and_exp_are_the_same_functions() -> None:
    """ln is log; E**y is exp(y); exp(1) is E; pi is pi."""
    pairs = [("ln(x)", "log(x)"), ("E**x", "exp(x)"), ("exp(1)*x", "E*x"), ("sqrt(x)", "x**(1/2)")]
    for left, right in pairs:
        a = grammar.compile_formula(left, ("x",), np)
        b = grammar.compile_formula(right, ("x",), np)
        assert a(2.5) == pytest.approx(b(2.5), rel=1e-14), (left, right)
        assert sympy.simplify(a.sympy(sympy) - b.sympy(sympy)) == 0, (left, right)
    assert grammar.compile_formula("pi", ("x",), np)(1.0) == pytest.approx(np.pi)


def test_vectors_and_matrices_with_constant_entries_have_the_contract_shape() -> None:
    """A list is a vector, a list of lists a matrix; plain numbers are constant entries."""
    matrix = grammar.compile_formula([[2, "3*y**2"], [-13, "exp(y)"]], ("x", "y"), np)
    value = matrix(1.0, 2.0)
    assert value.shape == (2, 2) and value.dtype == np.float64
    np.testing.assert_allclose(value, [[2, 12], [-13, np.exp(2.0)]])
    vector = grammar.compile_formula(("2/x", 3), ("x",), np)
    np.testing.assert_allclose(vector(4.0), [0.5, 3.0])
    scalar = grammar.compile_formula(7, ("x",), np)
    assert np.shape(scalar(1.0)) == ()


def test_a_sympy_expression_is_read_by_its_text_whatever_its_assumptions() -> None:
    """Symbols are matched by name: Symbol('x', positive=True) is the exercise's x."""
    x = sympy.Symbol("x", positive=True)
    formula = grammar.compile_formula([2 / x, 3 * sympy.cos(3 * x)], ("x",), np)
    np.testing.assert_allclose(formula(-2.0), [-1.0, 3 * np.cos(-6.0)])
    matrix = grammar.compile_formula(sympy.Matrix([[2, 3 * x]]), ("x",), np)
    assert matrix(1.0).shape == (1, 2)


HOSTILE = {
    "import": ("__import__('os')", "`__import__` is not allowed in a formula"),
    "attribute": ("x.__class__", "attribute access"),
    "lambda": ("lambda: 1", "a lambda"),
    "tower": ("9**9**9**9", "itself a power"),
    "huge power": ("x**99999999", "exponent is too large"),
    "megabyte": ("x+" * 500_000 + "x", "too long"),
    "deep": ("(" * 300 + "x" + ")" * 300, "nested too deeply"),
    "deep sums": ("(x+" * 100 + "x" + ")" * 100, "nested too deeply"),
    "deep unary": ("-" * 200 + "x", "nested too deeply"),
    "subscript": ("x[0]", "indexing"),
    "keyword": ("sin(x=1)", "keyword"),
    "string": ("'x'", "text"),
    "comprehension": ("[x for x in ()]", "comprehension"),
    "call": ("exec('1')", "`exec` is not allowed"),
    "other variable": ("y", "`y` is not allowed"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_formula_is_refused_with_a_message_naming_what(name: str) -> None:
    """Nothing outside the grammar is ever evaluated; the message says what is not allowed."""
    text, words = HOSTILE[name]
    with pytest.raises(grammar.FormulaError) as refused:
        grammar.compile_formula(text, ("x",), np)
    assert words in refused.value.message  # how fast: bench/bench_formulas.py


@pytest.mark.parametrize(
    ("text", "advice"),
    [("2x", "write 2*x"), ("3.5 y", "write 3.5*y"), ("2(x+1)", "write 2*(...)"), ("sin x", "write sin(x)")],
)
def test_implicit_multiplication_says_how_to_write_it(text: str, advice: str) -> None:
    with pytest.raises(grammar.FormulaError) as refused:
        grammar.compile_formula(text, ("x", "y"), np)
    assert advice in refused.value.message


def test_ragged_lists_and_non_formulas_are_refused() -> None:
    for value, words in [
        ([["1", "2"], ["3"]], "same shape"),
        (True, "not a formula"),
        ({"x": 1}, "a dict is not a formula"),
        (float("inf"), "finite"),
    ]:
        with pytest.raises(grammar.FormulaError) as refused:
            grammar.compile_formula(value, ("x",), np)
        assert words in refused.value.message, value


# Each elementary function of the grammar beyond sin cos tan exp log ln sqrt: its numpy value.
ELEMENTARY = {
    "cot": lambda t: 1 / np.tan(t),
    "sec": lambda t: 1 / np.cos(t),
    "csc": lambda t: 1 / np.sin(t),
    "asin": np.arcsin,
    "acos": np.arccos,
    "atan": np.arctan,
    "arcsin": np.arcsin,
    "arccos": np.arccos,
    "arctan": np.arctan,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "tanh": np.tanh,
    "abs": np.abs,
    "sigmoid": lambda t: 1 / (1 + np.exp(-t)),
}


@pytest.mark.parametrize("name", list(ELEMENTARY))
def test_each_elementary_function_evaluates_to_numpys_value(name: str) -> None:
    """Each new name parses, evaluates to numpy's value, and sympy agrees at the same point."""
    assert name in grammar.FUNCTIONS
    formula = grammar.compile_formula(f"{name}(x/2 - 0.1)", ("x",), np)
    x = sympy.Symbol("x", real=True)
    for point in (-1.3, -0.4, 0.5, 1.7):
        expected = ELEMENTARY[name](point / 2 - 0.1)
        assert formula(point) == pytest.approx(expected, rel=1e-13), (name, point)
        exact = float(formula.sympy(sympy).subs(x, sympy.Rational(repr(point))).evalf(30))
        assert exact == pytest.approx(expected, rel=1e-12), (name, point)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("cot", "`cot` is a function: apply it to an argument, as in cot(x)"),
        ("atan(x, 1)", "atan takes one argument"),
        ("abs(x=1)", "keyword"),
        ("cot x", "write cot(x)"),
        ("x**atan(9**9**9)", "itself a power"),
        ("2**cosh(1000)", "exponent is too large"),
        ("2**asin(2)", "exponent is too large"),
        ("sinh(x).__class__", "attribute access"),
        ("arctan2(x)", "`arctan2` is not allowed"),
        ("cosec(x)", "`cosec` is not allowed"),
    ],
)
def test_the_new_functions_keep_every_refusal(text: str, words: str) -> None:
    with pytest.raises(grammar.FormulaError) as refused:
        grammar.compile_formula(text, ("x",), np)
    assert words in refused.value.message


def test_a_refusal_lists_the_new_functions() -> None:
    with pytest.raises(grammar.FormulaError) as refused:
        grammar.compile_formula("exec('1')", ("x",), np)
    assert "sin cos tan cot sec csc asin acos atan" in refused.value.message
    assert "sinh cosh tanh exp log ln sqrt abs" in refused.value.message


def test_every_function_of_the_grammar_is_listed_where_students_read_the_list() -> None:
    """The README, the contract (docs/exercises.md) and the refusal's hint name each function."""
    from exercises.conventions import FORMULAS
    from grader.checking.formula import _refused

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Formula answers") :]
    section = section[: section.index("\n### ", 1)]
    hint = _refused(by_name()["d_ln_x2"], "refused").hint
    for where, text in [("README", section), ("contract", FORMULAS), ("hint", hint)]:
        words = set(text.replace("`", " ").replace(",", " ").replace("(", " ").replace(")", " ").split())
        missing = [name for name in grammar.FUNCTIONS if name not in words]
        assert not missing, (where, missing)


@pytest.mark.parametrize("exercise", FORMULA_EXERCISES, ids=lambda e: e.name)
def test_the_reference_round_trips_through_the_grammar(exercise) -> None:
    """sympy's text of every reference derivative is read by the grammar, to the same values."""
    text = reference_text(exercise)
    formula = grammar.compile_formula(text, exercise.params, np)
    derivative = exercise.symbolic.derivative()
    rebuilt = formula.sympy(sympy)
    flat = rebuilt if isinstance(rebuilt, list) else [rebuilt]
    flat = [e for row in flat for e in (row if isinstance(row, list) else [row])]
    expected = list(derivative) if isinstance(derivative, sympy.MatrixBase) else [derivative]
    assert len(flat) == len(expected)
    for got, want in zip(flat, expected, strict=True):
        assert sympy.simplify(got - want) == 0
    for point in ([0.7, 1.3], [-2.1, 0.4], [3.0, 2.0]):
        args = point[: len(exercise.params)]
        reference = np.asarray(exercise.reference(*args), dtype=np.float64)
        value = np.asarray(formula(*args))
        assert value.shape == reference.shape
        np.testing.assert_allclose(value, reference, rtol=1e-12)


# ---- the symbolic verdict never raises a grade ------------------------------------------------


def _numeric(status: str, score: float) -> ExerciseResult:
    identities = (
        IdentityResult(name=Shape().name, status="passed"),
        IdentityResult(name=MatchesReference().name, status=status),
    )
    return ExerciseResult(
        name="d_ln_x2", set="scalar", status=status, score=score, max_score=1.0, identities=identities
    )


def test_the_workers_symbolic_verdict_cannot_raise_a_grade() -> None:
    exercise = by_name()["d_ln_x2"]
    failed = _numeric("failed", 0.25)
    claimed = with_symbolic(exercise, failed, Symbolic(equal=True), ())
    assert (claimed.status, claimed.score) == ("failed", 0.25)
    passed = _numeric("passed", 1.0)
    unsure = with_symbolic(
        exercise, passed, Symbolic(equal=False, differences=((0, "sin(x)**2 + ...", False),)), ()
    )
    assert (unsure.status, unsure.score) == ("passed", 1.0)
    assert _identity(unsure, SYMBOLIC_NAME).status == "skipped"
    timeout = with_symbolic(exercise, passed, Symbolic(equal=None, reason="sympy could not decide"), ())
    assert (timeout.status, timeout.score) == ("passed", 1.0)
    assert "inconclusive" in _identity(timeout, SYMBOLIC_NAME).message
    constant = with_symbolic(exercise, passed, Symbolic(equal=False, differences=((0, "1/1000", True),)), ())
    assert constant.status == "failed" and constant.score < 1.0
    assert "1/1000" in _identity(constant, SYMBOLIC_NAME).message


# ---- graded through the worker ----------------------------------------------------------------

EQUIVALENT = """
import sympy
x = sympy.Symbol("x", positive=True)
d_ln_x2 = 2 / sympy.Symbol("x")
d_sin_x2 = "2*x*cos(x^2)"
d_ln_sin_x3_sq = "3*x^2 * 2*cos(x^3)/sin(x^3)"
d_x_plus_x2 = "1 + 2*x"
d_sin_x_plus_x2 = "cos(x + x**2)*(1 + 2*x)"
d_x_times_x2 = 3 * x**2
grad_x2_cos_y = ("2*x", "-sin(y)")
jacobian_2x_y3 = [[2, "3*y**2"], [-13, "E**y"]]
d_ln_x2_sin_3x = [2 / x, "3*cos(3*x)"]
jacobian_sin_ln = [["2*x*cos(x**2 + y)", "cos(x**2 + y)"], [0, "y**-1*3"]]
"""


def test_formulas_in_equivalent_forms_pass_with_the_symbolic_identity(tmp_path: Path) -> None:
    report = _grade(tmp_path, EQUIVALENT, "scalar", "jacobians")
    for result in report.exercises:
        if result.name in ("grad_3x2y", "jacobian_3x2y_2x_y8", "jacobian_identity"):
            assert result.status == "missing"
            continue
        assert result.status == "passed", (result.name, result.message, result.identities)
        assert result.score == result.max_score
        assert _identity(result, SYMBOLIC_NAME).status == "passed"


@pytest.mark.parametrize(
    "form", ['"2/x"', '"2*x**-1"', '"2*x^-1"', '"x**2*2/x^3"', '"2*exp(-ln(x**2)/2)*sqrt(x**2)/x"']
)
def test_each_form_of_2_over_x_passes(tmp_path: Path, form: str) -> None:
    result = _result(_grade(tmp_path, f"d_ln_x2 = {form}\n", "d_ln_x2"), "d_ln_x2")
    assert result.status == "passed", result.identities
    assert _identity(result, SYMBOLIC_NAME).status == "passed"


# For each elementary function: a right formula of one exercise and a wrong one of another.
WITH_FUNCTION = {
    "cot": (("d_ln_sin_x3_sq", "6*x**2*cot(x**3)"), ("d_sin_x2", "2*x*cot(x**2)")),
    "sec": (("d_sin_x2", "2*x/sec(x**2)"), ("d_ln_sin_x3_sq", "6*x**2*sec(x**3)")),
    "csc": (("d_ln_sin_x3_sq", "6*x**2*cos(x**3)*csc(x**3)"), ("d_sin_x2", "2*x*csc(x**2)")),
    "asin": (("d_x_plus_x2", "1 + 2*sin(asin(x/(1+x**2)))*(1+x**2)"), ("d_ln_x2", "2*asin(1/(1+x**2))")),
    "acos": (("d_x_plus_x2", "1 + 2*cos(acos(x/(1+x**2)))*(1+x**2)"), ("d_ln_x2", "2*acos(1/(1+x**2))")),
    "atan": (("d_x_plus_x2", "1 + 2*tan(atan(x))"), ("d_ln_x2", "2*atan(1/x)")),
    "arcsin": (("d_x_plus_x2", "1 + 2*sin(arcsin(x/(1+x^2)))*(1+x^2)"), ("d_ln_x2", "arcsin(1/x^2)")),
    "arccos": (("d_x_plus_x2", "1 + 2*cos(arccos(x/(1+x^2)))*(1+x^2)"), ("d_ln_x2", "arccos(1/x^2)")),
    "arctan": (("d_x_plus_x2", "1 + 2*tan(arctan(x))"), ("d_ln_x2", "2*arctan(x)")),
    "sinh": (("d_x_plus_x2", "2*x + (1 + sinh(x)**2)/cosh(x)**2"), ("d_sin_x2", "2*x*sinh(x**2)")),
    "cosh": (("d_x_plus_x2", "1 + 2*x*cosh(x)**2/(1 + sinh(x)**2)"), ("d_sin_x2", "2*x*cosh(x**2)")),
    "tanh": (("d_x_plus_x2", "1 + 2*x + tanh(x) - sinh(x)/cosh(x)"), ("d_sin_x2", "2*x*tanh(x**2)")),
    "abs": (("d_ln_x2", "2*x/abs(x)**2"), ("d_x_times_x2", "3*x*abs(x)")),
    "sigmoid": (("d_x_plus_x2", "sigmoid(x) + sigmoid(-x) + 2*x"), ("d_sin_x2", "2*x*sigmoid(x**2)")),
}


@pytest.mark.parametrize("function", list(WITH_FUNCTION))
def test_a_formula_with_each_elementary_function_is_graded(tmp_path: Path, function: str) -> None:
    """The right formula passes, the symbolic identity included; the wrong one fails."""
    (right, right_text), (wrong, wrong_text) = WITH_FUNCTION[function]
    assert function in right_text and function in wrong_text
    source = f"{right} = {right_text!r}\n{wrong} = {wrong_text!r}\n"
    report = _grade(tmp_path, source, right, wrong)
    passed = _result(report, right)
    assert passed.status == "passed", (function, passed.message, passed.identities)
    assert passed.score == passed.max_score
    assert _identity(passed, SYMBOLIC_NAME).status == "passed"
    failed = _result(report, wrong)
    assert failed.status == "failed" and failed.score == 0, (function, failed.identities)
    assert _identity(failed, MatchesReference().name).status == "failed"


def test_a_wrong_formula_fails_with_the_point_where_it_differs(tmp_path: Path) -> None:
    source = 'd_ln_x2 = "1/x^2"\njacobian_2x_y3 = [[2, "3*y**2"], [13, "exp(y)"]]\n'
    report = _grade(tmp_path, source, "d_ln_x2", "jacobian_2x_y3")
    scalar = _result(report, "d_ln_x2")
    assert scalar.status == "failed" and scalar.score < scalar.max_score
    matches = _identity(scalar, MatchesReference().name)
    assert matches.status == "failed" and matches.diagnosis == "chain-rule"
    assert matches.counterexample is not None
    [x] = matches.counterexample.inputs.values()
    assert matches.counterexample.expected == pytest.approx(2 / x)
    assert matches.counterexample.got == pytest.approx(1 / x**2)
    symbolic = _identity(scalar, SYMBOLIC_NAME)
    assert symbolic.status == "failed" and "not 0" in symbolic.message
    matrix = _result(report, "jacobian_2x_y3")
    assert matrix.status == "failed"
    assert _identity(matrix, MatchesReference().name).diagnosis == "sign"
    assert "entry [1][0]" in _identity(matrix, SYMBOLIC_NAME).message


def test_a_vector_of_the_wrong_length_is_a_shape_failure(tmp_path: Path) -> None:
    report = _grade(tmp_path, 'grad_3x2y = ["6*x*y", "3*x^2", "0"]\n', "grad_3x2y")
    result = _result(report, "grad_3x2y")
    assert result.status == "failed"
    shape = _identity(result, Shape().name)
    assert shape.status == "failed" and shape.diagnosis == "shape"
    assert "(3,)" in shape.message and "(2,)" in shape.message
    assert _identity(result, SYMBOLIC_NAME).status == "skipped"


def test_hostile_formulas_are_refused_by_the_grammar_and_the_rest_is_graded(tmp_path: Path) -> None:
    """The worker refuses each by its grammar, not by a time limit; the correct answers still pass."""
    marker = tmp_path / "pwned"
    hostile = {
        "d_ln_x2": f"__import__('pathlib').Path({str(marker)!r}).touch()",
        "d_sin_x2": "x.__class__",
        "d_ln_sin_x3_sq": "lambda: 1",
        "d_x_plus_x2": "9**9**9**9",
        "d_x_times_x2": "x**99999999",
        "grad_3x2y": ["x" * 1_000_000, "1"],
        "grad_x2_cos_y": ["(" * 300 + "x" + ")" * 300, "1"],
        "jacobian_3x2y_2x_y8": "2x",
    }
    # What each refusal names: a refusal by the clock ("took longer than ...") would name none.
    # How fast the refusals are is measured by bench/bench_formulas.py.
    refusals = {
        "d_ln_x2": "`__import__` is not allowed",
        "d_sin_x2": "attribute access",
        "d_ln_sin_x3_sq": "a lambda",
        "d_x_plus_x2": "itself a power",
        "d_x_times_x2": "exponent is too large",
        "grad_3x2y": "too long",
        "grad_x2_cos_y": "nested too deeply",
        "jacobian_3x2y_2x_y8": "write 2*x",
    }
    source = "".join(f"{name} = {value!r}\n" for name, value in hostile.items())
    source += (
        'd_sin_x_plus_x2 = "cos(x + x**2)*(1 + 2*x)"\njacobian_2x_y3 = [[2, "3*y**2"], [-13, "exp(y)"]]\n'
    )
    with Sandbox(source, "answers.py", GENEROUS) as sandbox:
        assert sandbox.load().error is None
        for name in hostile:
            message = sandbox.formula(name, list(by_name()[name].params))
            assert message is not None and refusals[name] in message, (name, message)
    report = _grade(tmp_path, source, *hostile, "d_sin_x_plus_x2", "jacobian_2x_y3")
    assert not marker.exists()
    for name in hostile:
        result = _result(report, name)
        assert result.status == "error" and result.score == 0
        assert result.message.startswith(f"the formula `{name}` is refused: ")
    assert "`__import__` is not allowed in a formula" in _result(report, "d_ln_x2").message
    assert "use only x, numbers" in _result(report, "d_ln_x2").message
    assert "write 2*x" in _result(report, "jacobian_3x2y_2x_y8").message
    assert _result(report, "d_sin_x_plus_x2").status == "passed"
    assert _result(report, "jacobian_2x_y3").status == "passed"


def test_a_formula_where_only_functions_are_taken_says_so(tmp_path: Path) -> None:
    report = _grade(tmp_path, 'jacobian_identity = "1"\n', "jacobian_identity")
    result = _result(report, "jacobian_identity")
    assert result.status == "error"
    assert "formula answers are taken only in the sets scalar and jacobians" in result.message


def test_a_formula_grades_to_byte_identical_json(tmp_path: Path) -> None:
    source = 'd_ln_x2 = "1/x^2"\nd_ln_x2_sin_3x = ["2/x", "3*cos(3*x)"]\n'
    first = render_json(_grade(tmp_path, source, "d_ln_x2", "d_ln_x2_sin_3x"))
    second = render_json(_grade(tmp_path, source, "d_ln_x2", "d_ln_x2_sin_3x"))
    assert first == second
    assert json.loads(first)["exercises"][0]["identities"][1]["counterexample"] is not None


def test_the_symbolic_comparison_is_inconclusive_when_sympy_runs_out_of_time(monkeypatch) -> None:
    """In the worker, simplify runs under an itimer: past it the verdict is None, not False."""
    import types

    from grader.sandbox.worker import main as worker_main

    def endless(expression, *args, **kwargs):
        while True:  # a simplification that no budget is enough for, on any machine
            pass

    worker = worker_main.Worker(-1, -1, np, False, grammar)
    module = types.ModuleType("submission")
    module.d_ln_x2 = "sin(x)**2 + cos(x)**2 + 2/x"
    module.d_sin_x2 = "x*cos(x**2)*2"
    worker.module = module
    with monkeypatch.context() as patched:
        patched.setattr(sympy, "simplify", endless)
        verdict = worker.symbolic({"name": "d_ln_x2", "variables": ["x"], "reference": "2/x", "seconds": 0.2})
    assert verdict["equal"] is None and "within 0.2 s" in verdict["reason"]
    # The itimer is off again: a comparison with a budget afterwards decides.
    same = worker.symbolic(
        {"name": "d_sin_x2", "variables": ["x"], "reference": "2*x*cos(x**2)", "seconds": 60.0}
    )
    assert same["equal"] is True


def test_the_budget_of_the_symbolic_comparison_is_a_limit_of_the_sandbox(monkeypatch) -> None:
    """`Limits.symbolic_seconds` (3 s by default) is the budget the worker is given."""
    from grader.checking import SYMBOLIC_SECONDS, check_formula, formula

    class Asked:
        limits = Limits(symbolic_seconds=7.5)

        def __init__(self) -> None:
            self.budgets: list[float] = []

        def formula(self, name, variables):
            return None

        def symbolic(self, name, reference, seconds):
            self.budgets.append(seconds)
            return Symbolic(equal=True)

    monkeypatch.setattr(formula, "check_exercise", lambda e, s, _: _numeric("passed", 1.0))
    sandbox = Asked()
    result = check_formula(by_name()["d_ln_x2"], sandbox, Settings())
    assert sandbox.budgets == [7.5] and _identity(result, SYMBOLIC_NAME).status == "passed"
    assert SYMBOLIC_SECONDS == Limits().symbolic_seconds == 3.0
