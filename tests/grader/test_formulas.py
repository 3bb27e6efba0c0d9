"""Formula answers (exercises.md, "Symbolic answers"): read safely, graded like functions.

A formula is parsed in the worker by the whitelisted grammar of grader/sandbox/worker/grammar.py, evaluated
at the generated inputs by the usual identities, sent to the grader as a plain tree, checked
again there (grader/checking/formula_tree.py) and compared with the reference by sympy in a
forked child of the grader (grader/checking/simplifier.py).  The worker never receives the
reference, and the feedback never shows it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import sympy

from exercises import all_exercises, by_name
from grader.checking import MatchesReference, Settings, Shape, formula_tree
from grader.checking.formula import SYMBOLIC_NAME, reference_entries, with_symbolic
from grader.checking.simplifier import Difference, Symbolic, compare
from grader.grading import Options, grade
from grader.render.json import render_json
from grader.report import ExerciseResult, IdentityResult, Report
from grader.sandbox import Limits, Sandbox
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


def _sympy(formula: grammar.Formula) -> object:
    """The formula as the grader builds it: from the worker's plain tree, re-checked."""
    x = {name: sympy.Symbol(name, real=True) for name in formula.variables}
    tree = formula_tree.read_tree(formula.tree(), formula.variables)
    built = [formula_tree.expression(node, x) for node in formula_tree.entries(tree)]
    return built if isinstance(tree, list) else built[0]


# ---- the grammar, without a worker ------------------------------------------------------


@pytest.mark.parametrize("text", ["2/x", "2*x**-1", "2*x^-1", "2 * x ^ (-1)", "ln(x^2)*0 + 2/x", "4/(2*x)"])
def test_equivalent_forms_evaluate_and_simplify_alike(text: str) -> None:
    """Each form of 2/x evaluates to 2/x, and sympy reads it as 2/x."""
    formula = grammar.compile_formula(text, ("x",), np)
    for x in (-3.5, -0.25, 0.5, 7.0):
        assert formula(x) == pytest.approx(2 / x, rel=1e-12)
    x = sympy.Symbol("x", real=True)
    assert sympy.simplify(_sympy(formula) - 2 / x) == 0


def test_ln_and_log_E_and_exp_are_the_same_functions() -> None:
    """ln is log; E**y is exp(y); exp(1) is E; pi is pi."""
    pairs = [("ln(x)", "log(x)"), ("E**x", "exp(x)"), ("exp(1)*x", "E*x"), ("sqrt(x)", "x**(1/2)")]
    for left, right in pairs:
        a = grammar.compile_formula(left, ("x",), np)
        b = grammar.compile_formula(right, ("x",), np)
        assert a(2.5) == pytest.approx(b(2.5), rel=1e-14), (left, right)
        assert sympy.simplify(_sympy(a) - _sympy(b)) == 0, (left, right)
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
        exact = float(_sympy(formula).subs(x, sympy.Rational(repr(point))).evalf(30))
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
def test_the_reference_derivative_has_the_contract_shape_and_values(exercise) -> None:
    """The entries compared in the grader are the reference's, in the contract's shape (K1, K2)."""
    shape, entries = reference_entries(exercise)
    symbols = [sympy.Symbol(name, real=True) for name in exercise.params]
    for point in ([0.7, 1.3], [-2.1, 0.4], [3.0, 2.0]):
        args = point[: len(exercise.params)]
        reference = np.asarray(exercise.reference(*args), dtype=np.float64)
        assert reference.shape == shape
        values = [float(e.subs(dict(zip(symbols, args, strict=True))).evalf(20)) for e in entries]
        np.testing.assert_allclose(np.reshape(values, shape), reference, rtol=1e-12)


def test_the_grader_reads_trees_with_the_grammars_bounds_and_names() -> None:
    """formula_tree.py keeps the grammar's limits and functions: one cannot drift from the other."""
    for bound in ("MAX_NODES", "MAX_DEPTH", "MAX_EXPONENT", "MAX_ENTRIES", "MAX_NESTING", "CONSTANTS"):
        assert getattr(formula_tree, bound) == getattr(grammar, bound), bound
    assert formula_tree.FUNCTIONS == grammar.FUNCTIONS


@pytest.mark.parametrize(
    "text",
    [
        "2/x",
        "-x + +3.5*x**-2",
        "sigmoid(x)*E - pi/exp(x)",
        "x**(1/2) + 10**-3",
        "(" * 20 + "x" + ")" * 20,
        "123456789012345678901234567890*x",
        "abs(x)**2.5",
    ],
)
def test_every_tree_the_grammar_makes_is_read_back_to_the_same_values(text: str) -> None:
    """The grammar's tree, read by the grader, is the formula the worker evaluates."""
    formula = grammar.compile_formula(text, ("x",), np)
    assert json.loads(json.dumps(formula.tree())) == formula.tree()  # plain data
    built = _sympy(formula)
    x = sympy.Symbol("x", real=True)
    for point in (0.3, 1.7):
        exact = float(built.subs(x, sympy.Rational(repr(point))).evalf(30))
        assert exact == pytest.approx(float(formula(point)), rel=1e-12), text


def _deep(depth: int) -> dict:
    node: dict = {"name": "x"}
    for _ in range(depth):
        node = {"unary": "-", "operand": node}
    return node


def _wide(depth: int) -> dict:
    """A balanced sum of 2**depth leaves: shallow, and 2**(depth+1) - 1 nodes."""
    if depth == 0:
        return {"name": "x"}
    return {"binary": "+", "left": _wide(depth - 1), "right": _wide(depth - 1)}


FORGED = {
    "unknown function": ({"call": "factorial", "argument": {"name": "x"}}, "function 'factorial'"),
    "import": ({"call": "__import__", "argument": {"number": 1}}, "function '__import__'"),
    "dunder name": ({"name": "__import__"}, "name '__import__'"),
    "other variable": ({"name": "y"}, "name 'y'"),
    "huge depth": (_deep(41), "nested more than 40 deep"),
    "very deep": (_deep(5000), "nested more than 40 deep"),
    "many nodes": (_wide(9), "more than 400 nodes"),
    "extra key": ({"name": "x", "eval": "1"}, "keys"),
    "string number": ({"number": "1e999"}, "not a finite number"),
    "boolean": ({"number": True}, "not a finite number"),
    "nan": ({"number": float("nan")}, "not a finite number"),
    "huge integer": ({"number": 10**400}, "too large"),
    "operator": ({"binary": "//", "left": {"name": "x"}, "right": {"number": 2}}, "operator '//'"),
    "tower": (
        {
            "binary": "**",
            "left": {"number": 9},
            "right": {"binary": "**", "left": {"number": 9}, "right": {"number": 9}},
        },
        "itself a power",
    ),
    "huge exponent": ({"binary": "**", "left": {"number": 9}, "right": {"number": 10**6}}, "too large"),
    "not a node": ("x", "not an object"),
    "ragged": ([[{"name": "x"}], [{"name": "x"}, {"name": "x"}]], "different shapes"),
    "too many entries": ([{"name": "x"}] * 65, "more than 64 entries"),
    "nested lists": ([[[[{"name": "x"}]]]], "nested more than 3 deep"),
}


@pytest.mark.parametrize("name", list(FORGED))
def test_a_forged_tree_from_the_worker_is_refused(name: str) -> None:
    """Whatever the worker sends is checked again: nothing outside the grammar reaches sympy."""
    raw, words = FORGED[name]
    with pytest.raises(formula_tree.TreeError) as refused:
        formula_tree.read_tree(raw, ("x",))
    assert words in str(refused.value)


# ---- the symbolic verdict never raises a grade ------------------------------------------------


def _numeric(status: str, score: float) -> ExerciseResult:
    identities = (
        IdentityResult(name=Shape().name, status="passed"),
        IdentityResult(name=MatchesReference().name, status=status),
    )
    return ExerciseResult(
        name="d_ln_x2", set="scalar", status=status, score=score, max_score=1.0, identities=identities
    )


def test_the_symbolic_verdict_cannot_raise_a_grade() -> None:
    """A symbolic pass never lifts a numeric failure; an unsure verdict never lowers a pass."""
    exercise = by_name()["d_ln_x2"]
    failed = _numeric("failed", 0.25)
    claimed = with_symbolic(exercise, failed, Symbolic(equal=True), ())
    assert (claimed.status, claimed.score) == ("failed", 0.25)
    passed = _numeric("passed", 1.0)
    unsure = with_symbolic(exercise, passed, Symbolic(equal=False, differences=(Difference(0),)), ())
    assert (unsure.status, unsure.score) == ("passed", 1.0)
    assert _identity(unsure, SYMBOLIC_NAME).status == "skipped"
    timeout = with_symbolic(exercise, passed, Symbolic(equal=None, reason="sympy could not decide"), ())
    assert (timeout.status, timeout.score) == ("passed", 1.0)
    assert "inconclusive" in _identity(timeout, SYMBOLIC_NAME).message


def test_a_formula_off_by_a_constant_fails_without_the_constant_being_shown() -> None:
    """Being off by a constant is said, but neither the constant nor values that would give it away."""
    exercise = by_name()["d_ln_x2"]
    off = Difference(0, constant=True, point=(("x", 0.7),), got=2.8581, expected=2.857143)
    verdict = Symbolic(equal=False, differences=(off,))
    constant = with_symbolic(exercise, _numeric("passed", 1.0), verdict, ())
    assert constant.status == "failed" and constant.score < 1.0
    message = _identity(constant, SYMBOLIC_NAME).message
    assert message == "your formula differs from the reference by a constant"
    matrix = with_symbolic(
        exercise, _numeric("passed", 1.0), Symbolic(False, differences=(Difference(2, True),)), (2, 2)
    )
    assert _identity(matrix, SYMBOLIC_NAME).message == (
        "your formula differs from the reference by a constant (entry [1][0])"
    )
    wrong = with_symbolic(exercise, _numeric("failed", 0.0), verdict, ())
    assert _identity(wrong, SYMBOLIC_NAME).message == (
        "your formula is not the derivative: the difference does not simplify to 0 (it differs by a constant)"
    )


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
    assert symbolic.status == "failed"
    assert symbolic.message == (
        "your formula is not the derivative: the difference does not simplify to 0 "
        "(at x = 0.7 your formula gives 2.04082, the expected value is 2.85714)"
    )
    matrix = _result(report, "jacobian_2x_y3")
    assert matrix.status == "failed"
    assert _identity(matrix, MatchesReference().name).diagnosis == "sign"
    message = _identity(matrix, SYMBOLIC_NAME).message
    assert message.endswith("does not simplify to 0 (entry [1][0] differs by a constant)")
    assert "[0][0]" not in message and "[1][1]" not in message


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


def _children() -> set[int]:
    """The live child processes of this process."""
    found = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found |= {int(pid) for pid in (task / "children").read_text().split()}
    return found


def test_the_symbolic_comparison_is_inconclusive_when_sympy_runs_out_of_time(monkeypatch) -> None:
    """simplify runs in a forked child killed at the deadline: past it the verdict is None."""

    def endless(expression, *args, **kwargs):
        while True:  # a simplification that no budget is enough for, on any machine
            pass

    x = sympy.Symbol("x", real=True)
    slow = formula_tree.read_tree(
        grammar.compile_formula("sin(x)**2 + cos(x)**2 + 2/x", ("x",), np).tree(), ("x",)
    )
    before = _children()
    with monkeypatch.context() as patched:
        patched.setattr(sympy, "simplify", endless)  # the fork inherits it
        verdict = compare([slow], [2 / x], ("x",), 0.5)
    assert verdict.equal is None and "within 0.5 s" in verdict.reason
    assert _children() <= before  # the child is killed and reaped
    # The grader itself is unchanged: a comparison afterwards decides.
    same = formula_tree.read_tree(grammar.compile_formula("x*cos(x**2)*2", ("x",), np).tree(), ("x",))
    assert compare([same], [2 * x * sympy.cos(x**2)], ("x",), 60.0).equal is True


# Within the grammar, and far beyond any budget: sympy's simplify takes minutes on it.
BOMB = "(sin(x)+cos(x)+tan(x))**20/(sin(x)**7+cos(x)**5+1)**9"


def test_a_simplify_bomb_is_stopped_at_the_limit_and_costs_only_its_exercise(tmp_path: Path) -> None:
    """A real simplify bomb: the verdict is inconclusive at 1 s; the next exercise is graded as usual.

    Without the deadline this test would run for minutes: sympy's simplify of BOMB has not
    ended after 40 s on our machines.
    """
    limits = Limits(symbolic_seconds=1.0, call_seconds=30.0, exercise_seconds=120.0)
    path = tmp_path / "answers.py"
    path.write_text(f'd_x_plus_x2 = "{BOMB}"\nd_sin_x2 = "2*x*cos(x**2)"\n', encoding="utf-8")
    before = _children()
    report = grade(
        str(path), Options(examples=EXAMPLES, only=("d_x_plus_x2", "d_sin_x2"), jobs=1, limits=limits)
    )
    bomb = _result(report, "d_x_plus_x2")
    assert bomb.status == "failed" and bomb.score == 0  # wrong numerically, as it is
    assert _identity(bomb, SYMBOLIC_NAME).status == "skipped"
    assert "sympy could not decide within 1 s" in _identity(bomb, SYMBOLIC_NAME).message
    right = _result(report, "d_sin_x2")
    assert right.status == "passed" and right.score == right.max_score
    # Its own comparison takes milliseconds; on a machine loaded beyond 1 s it would be
    # inconclusive, which costs no points either.
    assert _identity(right, SYMBOLIC_NAME).status in ("passed", "skipped")
    assert _children() <= before


def test_the_budget_of_the_symbolic_comparison_is_a_limit_of_the_sandbox(monkeypatch) -> None:
    """`Limits.symbolic_seconds` (3 s by default) is the budget of the comparison."""
    from grader.checking import SYMBOLIC_SECONDS, check_formula, formula

    class Asked:
        limits = Limits(symbolic_seconds=7.5)

        def formula(self, name, variables):
            return None

        def formula_tree(self, name):
            return grammar.compile_formula("2*x**-1", ("x",), np).tree(), ""

    budgets: list[float] = []

    def timed(student, reference, variables, seconds):
        budgets.append(seconds)
        return compare(student, reference, variables, seconds)

    monkeypatch.setattr(formula, "check_exercise", lambda e, s, _: _numeric("passed", 1.0))
    monkeypatch.setattr(formula, "compare", timed)
    result = check_formula(by_name()["d_ln_x2"], Asked(), Settings())
    assert budgets == [7.5] and _identity(result, SYMBOLIC_NAME).status == "passed"
    assert SYMBOLIC_SECONDS == Limits().symbolic_seconds == 3.0


# ---- the reference stays in the grader ----------------------------------------------------------

# The eight formula exercises a hostile submission answers (wrongly, so that each is compared).
HOSTILE_ANSWERS = {
    "d_ln_x2": "1/x^2",
    "d_sin_x2": "x*cos(x)",
    "d_ln_sin_x3_sq": "cos(x)/sin(x)",
    "d_x_plus_x2": "x + 1",
    "d_sin_x_plus_x2": "cos(x + x**2)",
    "d_x_times_x2": "x**2",
    "grad_x2_cos_y": ["x", "y"],
    "jacobian_2x_y3": [[1, "y**2"], [13, "y"]],
}

# Student code that wraps all it can reach in the worker and prints what it saw into its report.
SPY = """
import builtins, gc, json, sys, types

LOG = builtins.__dict__.setdefault("_spy_log", [])  # outlives a replay's fresh module

def _remember(message):
    if isinstance(message, dict) and message.get("op") not in ("call", "load"):
        LOG.append(json.dumps(message, sort_keys=True))

for obj in gc.get_objects():  # every message received on the pipe
    if isinstance(obj, types.ModuleType) and obj.__name__.startswith("_matgrade_worker_"):
        receive = getattr(obj, "receive", None)
        if receive is not None:
            def logged(fd, _receive=receive):
                message = _receive(fd)
                _remember(message)
                return message
            obj.receive = logged
        sys.modules[obj.__name__.replace("_matgrade_worker_", "")] = obj

for obj in gc.get_objects():  # the worker's grammar and each of its requests
    if type(obj).__name__ == "Worker":
        grammar = getattr(obj, "grammar", None)
        original = getattr(grammar, "compile_formula", None)
        if original is not None:
            def spy(*args, _original=original, **kwargs):
                LOG.append(f"compile_formula{args[:1]!r}")
                return _original(*args, **kwargs)
            grammar.compile_formula = spy
        for name in ("formula", "tree", "symbolic"):
            method = getattr(obj, name, None)
            if method is not None:
                def wrapped(message, _method=method):
                    _remember(message)
                    return _method(message)
                setattr(obj, name, wrapped)

_import = builtins.__import__
def _logged_import(name, *args, **kwargs):
    if name == "sympy":
        LOG.append("import sympy")
    return _import(name, *args, **kwargs)
builtins.__import__ = _logged_import

def _frames():  # whatever the callers of a student function hold
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, dict) and value.get("op") not in (None, "call"):
                _remember(value)
        frame = frame.f_back

def jac_add(w, x):  # graded after the formulas: its error message is the report's
    _frames()
    raise RuntimeError("DUMP " + " | ".join(dict.fromkeys(LOG)))
"""


def _reference_texts(names: list[str]) -> set[str]:
    """The reference derivatives' texts as sympy prints them, beyond what the task itself says.

    Plain numbers are left out (an expected value may be shown at a point, as for any
    function), and so are pieces of the primals' own text, which the report names.
    """
    texts = set()
    primal = " ".join(str(by_name()[name].symbolic.source) for name in names)
    for name in names:
        for entry in reference_entries(by_name()[name])[1]:
            if entry.is_number:
                continue
            for text in (str(entry), sympy.sstr(entry), str(sympy.simplify(entry))):
                if text not in primal:
                    texts.add(text)
    return texts


def test_student_code_that_spies_on_the_worker_never_sees_a_reference_formula(tmp_path: Path) -> None:
    """Wrapping the pipe, the grammar, builtins and reading frames yields no reference text."""
    source = SPY + "".join(f"{name} = {value!r}\n" for name, value in HOSTILE_ANSWERS.items())
    report = _grade(tmp_path, source, *HOSTILE_ANSWERS, "jac_add")
    text = render_json(report)
    dump = _result(report, "jac_add").message
    # The spy worked: it saw the worker's requests for each formula, its tree included.
    assert dump.startswith("RuntimeError: DUMP ") and '"op": "tree"' in dump and '"op": "formula"' in dump
    assert "compile_formula('1/x^2',)" in dump
    assert '"reference"' not in text and "symbolic" not in dump
    everything = {str(e) for name in HOSTILE_ANSWERS for e in reference_entries(by_name()[name])[1]}
    assert not [t for t in everything if len(t) > 1 and t in dump.removeprefix("RuntimeError: DUMP ")]
    leaked = [t for t in _reference_texts(list(HOSTILE_ANSWERS)) if t in text]
    assert not leaked, leaked
    for name in HOSTILE_ANSWERS:
        assert _result(report, name).status == "failed", name
        assert _identity(_result(report, name), SYMBOLIC_NAME).status == "failed", name


# For every formula exercise: a wrong formula of the right shape, not one of the known mistakes.
WRONG = {
    e.name: (
        "x**3 + 1/7"
        if reference_entries(e)[0] == ()
        else [["x**3 + 1/7"] * s[1] for _ in range(s[0])]
        if len(s := reference_entries(e)[0]) == 2
        else ["x**3 + 1/7"] * s[0]
    )
    for e in FORMULA_EXERCISES
}


def test_the_feedback_on_wrong_formulas_never_gives_the_answer_away(tmp_path: Path) -> None:
    """No reference formula and no simplified difference anywhere in the report; the points are there."""
    source = "".join(f"{name} = {value!r}\n" for name, value in WRONG.items())
    report = _grade(tmp_path, source, *WRONG)
    text = render_json(report)
    leaked = [t for t in _reference_texts(list(WRONG)) if t in text]
    assert not leaked, leaked
    for exercise in FORMULA_EXERCISES:
        symbols = {n: sympy.Symbol(n, real=True) for n in exercise.params}
        mine = sympy.sympify("x**3 + 1/7", locals=symbols)
        for entry in reference_entries(exercise)[1]:
            for difference in (sympy.simplify(mine - entry), sympy.simplify(entry - mine)):
                assert str(difference) not in text, (exercise.name, difference)
        result = _result(report, exercise.name)
        identity = _identity(result, SYMBOLIC_NAME)
        assert result.status == "failed" and identity.status == "failed", exercise.name
        assert "your formula gives" in identity.message and "the expected value is" in identity.message


def test_a_tree_forged_by_student_code_in_the_worker_fails_the_exercise(tmp_path: Path) -> None:
    """Student code that makes the worker send a tree outside the grammar gets a failure, not a pass."""
    source = """
import gc
for obj in gc.get_objects():
    if type(obj).__name__ == "Worker":
        obj.tree = lambda message: {"ok": True, "tree": {"call": "__import__", "argument": {"number": 1}}}
d_ln_x2 = "2/x"
"""
    report = _grade(tmp_path, source, "d_ln_x2")
    result = _result(report, "d_ln_x2")
    identity = _identity(result, SYMBOLIC_NAME)
    assert identity.status == "failed" and "outside the allowed grammar" in identity.message
    assert "function '__import__'" in identity.message
    assert result.status == "failed" and result.score < result.max_score


def test_the_worker_has_no_request_that_takes_a_reference(tmp_path: Path) -> None:
    """The old "symbolic" request, reference and all, gets no verdict: the worker cannot compare."""
    with Sandbox('d_ln_x2 = "1/x^2"\n', "answers.py", GENEROUS) as sandbox:
        assert sandbox.load().error is None
        assert sandbox.formula("d_ln_x2", ["x"]) is None
        message = {"op": "symbolic", "name": "d_ln_x2", "variables": ["x"], "reference": "2/x", "seconds": 3}
        reply = sandbox._request(message, 30.0)
        assert isinstance(reply, dict) and reply.get("ok") is False and "equal" not in reply
        tree, why = sandbox.formula_tree("d_ln_x2")
    assert why == "" and tree == grammar.compile_formula("1/x^2", ("x",), np).tree()
    worker = Path(grammar.__file__).parent
    assert not (worker / "symbolic.py").exists()
    # No code of the worker's reads a reference out of a message.
    keys = ('["reference"]', '.get("reference"', "symbolic")
    assert not [p.name for p in worker.glob("*.py") if any(k in p.read_text(encoding="utf-8") for k in keys)]


def test_the_comparison_runs_from_any_thread_with_its_deadline(monkeypatch) -> None:
    """No signal handler nor timer: a thread that is not the main one (a notebook kernel's) compares too."""
    import threading

    x = sympy.Symbol("x", real=True)
    tree = formula_tree.read_tree(grammar.compile_formula("2*x**-1", ("x",), np).tree(), ("x",))
    verdicts: list[Symbolic] = []

    def endless(expression, *args, **kwargs):
        while True:
            pass

    def both() -> None:
        verdicts.append(compare([tree], [2 / x], ("x",), 60.0))
        with monkeypatch.context() as patched:
            patched.setattr(sympy, "simplify", endless)
            verdicts.append(compare([tree], [2 / x], ("x",), 0.5))

    thread = threading.Thread(target=both)
    thread.start()
    thread.join()
    assert [v.equal for v in verdicts] == [True, None]
    assert "within 0.5 s" in verdicts[1].reason
