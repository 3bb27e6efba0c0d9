"""An exercise pack: declarations become Exercises, malformed ones are named errors, references checked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import grader.pack
import matgrade.pack
from exercises import all_exercises, builtin_exercises, by_name
from grader.errors import PackError
from grader.pack import Pack, count, load_pack, matrix, nonzero, positive, scalar, size, vector
from grader.pack.registry import forget
from grader.pack.verify import verify_exercise

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COURSE = EXAMPLES / "course_pack.py"

MINE = 'pack = Pack("mine")\n'
HEADER = "import numpy as np\nimport sympy as sp\nfrom matgrade.pack import *\n"


@pytest.fixture(autouse=True)
def _unloaded():
    """Every test starts and ends with no pack in the catalogue."""
    forget()
    yield
    forget()


def write(tmp_path: Path, body: str, name: str = "pack.py") -> str:
    path = tmp_path / name
    path.write_text(HEADER + body)
    return str(path)


def test_the_public_api_is_listed_and_the_same_in_matgrade_pack():
    """matgrade.pack hands out exactly grader.pack's __all__, each name the same object."""
    assert matgrade.pack.__all__ == grader.pack.__all__
    for name in grader.pack.__all__:
        assert getattr(matgrade.pack, name) is getattr(grader.pack, name)


def test_the_course_pack_loads_four_exercises_into_the_catalogue():
    """load_pack adds the pack's exercises after the 41 built-ins, under the pack's set name."""
    loaded = load_pack(COURSE)
    assert [e.name for e in loaded.exercises] == [
        "softmax_jacobian",
        "cross_entropy_grad",
        "tanh_layer_jacobian",
        "least_squares_grad",
    ]
    assert all_exercises()[: len(builtin_exercises())] == builtin_exercises()
    assert by_name()["softmax_jacobian"].set == "course"
    assert load_pack(str(COURSE)) is loaded  # once per path


def test_a_sympy_primal_gives_the_reference_in_numerator_layout():
    """Sympy derives the softmax Jacobian diag(s) - s s^T and a matrix gradient of the matrix's shape."""
    exercises = {e.name: e for e in load_pack(COURSE).exercises}
    z = np.array([0.5, -1.0, 2.0])
    s = np.exp(z) / np.exp(z).sum()
    got = exercises["softmax_jacobian"].reference(z)
    np.testing.assert_allclose(got, np.diag(s) - np.outer(s, s), rtol=1e-12, atol=1e-15)
    X, W, Y = np.ones((3, 2)), np.arange(4.0).reshape(2, 2), np.zeros((3, 2))
    grad = exercises["least_squares_grad"].reference(X, W, Y)
    np.testing.assert_allclose(grad, 2 * X.T @ (X @ W - Y))


def test_the_inputs_keep_the_declared_shapes_shared_sizes_and_domains():
    """Drawn inputs respect named sizes shared across parameters and every domain."""
    from hypothesis import given, settings

    exercise = next(e for e in load_pack(COURSE).exercises if e.name == "tanh_layer_jacobian")

    @settings(max_examples=60)
    @given(exercise.inputs())
    def holds(inputs):
        W, x, b = inputs["W"], inputs["x"], inputs["b"]
        assert W.shape == (b.shape[0], x.shape[0])
        assert 1 <= x.shape[0] <= 6 and 1 <= b.shape[0] <= 5
        for value in (W, x, b):
            assert np.all(np.abs(value) <= 1)

    holds()


def test_every_reference_of_the_course_pack_holds():
    """The shipped pack passes its own check: references agree with finite differences of the primals."""
    for exercise in load_pack(COURSE).exercises:
        verdict = verify_exercise(exercise, examples=30)
        assert verdict.ok, verdict.message


def test_a_wrong_numpy_reference_is_refused_with_the_exercise_and_an_input(tmp_path):
    """A derivative missing the factor 2 of a square disagrees with the finite differences of its primal."""
    path = write(
        tmp_path,
        'pack = Pack("mine")\nn = size("n")\n'
        'pack.add("sq_grad", params=[vector("x", n)], numpy=lambda x: float(x @ x),\n'
        '         derivative=lambda x: x, task="Return the gradient of x . x.")\n',
    )
    [exercise] = load_pack(path, verify=False).exercises
    verdict = verify_exercise(exercise, examples=50)
    assert not verdict.ok
    assert verdict.exercise == "sq_grad"
    assert "finite differences" in verdict.message
    assert verdict.inputs is not None and "x" in verdict.inputs


def test_a_numpy_reference_that_disagrees_with_sympy_is_refused(tmp_path):
    """With both forms, the numpy derivative must equal sympy's: a transposed one is refused."""
    path = write(
        tmp_path,
        'pack = Pack("mine")\nm = size("m", 2, 3)\nn = size("n", 2, 3)\n'
        'pack.add("lin", params=[matrix("A", m, n), vector("x", n)], value=vector("y", m), wrt="x",\n'
        "         sympy=lambda A, x: A * x, derivative=lambda A, x: A.T, numpy=lambda A, x: A @ x,\n"
        '         task="Return dy/dx of y = A x.")\n',
    )
    [exercise] = load_pack(path, verify=False).exercises
    verdict = verify_exercise(exercise, examples=50)
    assert not verdict.ok and "disagrees with sympy's derivative" in verdict.message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            MINE + 'pack.add("f", params=[scalar("x")], task="t")\n',
            "give the mathematics as `sympy=`",
        ),
        (
            MINE + 'pack.add("f", params=[scalar("x")], sympy=lambda x: x)\n',
            "field `task` is required",
        ),
        (
            MINE + 'pack.add("f", parms=[scalar("x")])\n',
            "unknown field 'parms'; did you mean 'params'",
        ),
        (
            MINE + 'pack.add("f", params=["x"], sympy=lambda x: x, task="t")\n',
            "is not a parameter",
        ),
        (
            MINE + 'pack.add("f", params=[scalar("x")], wrt="y", sympy=lambda x: x, task="t")\n',
            "field `wrt`: 'y' is not a parameter",
        ),
        (
            MINE + 'pack.add("f", params=[scalar("x")], sympy=lambda x, y: x, task="t")\n',
            "field `sympy` must take the 1 parameters",
        ),
        (
            MINE + 'pack.add("f", params=[vector("x", size("n", 0, 3))], sympy=lambda x: x, task="t")\n',
            "size('n') low must be an integer from 1 to 8",
        ),
        (
            MINE + 'pack.add("f", params=[scalar("x", interval(2, 1))], sympy=lambda x: x, task="t")\n',
            "low must be below high",
        ),
        (
            MINE + 'pack.add("f", params=[scalar("x")], sympy=lambda x: x, task="t",\n'
            '         mistakes=[Mistake("oops", "d", lambda x: x)])\n',
            "'oops' is not a mistake class",
        ),
        ('pack = Pack("mine")\n', "declares no exercise"),
        ("x = 1\n", "makes no Pack"),
        (
            MINE + 'pack.add("f", params=[scalar("x")], sympy=lambda x: x, task="t"\n',
            "syntax error",
        ),
        ('pack = Pack("mine")\n1 / 0\n', "line 5: the pack raised ZeroDivisionError"),
        (
            MINE + 'pack.add("f", params=[vector("x", 2)], value=scalar("f"), sympy=lambda x: [x[0], x[1]],\n'
            '         task="t")\n',
            "returned a vector of 2 but `value` is a scalar",
        ),
    ],
)
def test_a_malformed_pack_is_a_pack_error_naming_the_field(tmp_path, body, expected):
    """Each mistake in a pack file is a PackError that names the file and says what is allowed."""
    path = write(tmp_path, body)
    with pytest.raises(PackError) as caught:
        load_pack(path)
    assert expected in str(caught.value)
    assert str(Path(path).resolve()) in str(caught.value) or "no pack file" in str(caught.value)


def test_a_pack_may_not_reuse_a_built_in_name_or_another_packs(tmp_path):
    """Names are unique across matgrade and the loaded packs; the message says how to rename."""
    taken = write(
        tmp_path, 'pack = Pack("mine")\npack.add("d_sin_x2", params=[scalar("x")], sympy=sp.sin, task="t")\n'
    )
    with pytest.raises(PackError, match=r"'d_sin_x2' is already a built-in exercise.*e\.g\. 'mine_d_sin_x2'"):
        load_pack(taken)
    with pytest.raises(PackError, match="'neuron' is already a built-in set"):
        load_pack(
            write(
                tmp_path,
                'pack = Pack("neuron")\npack.add("g", params=[scalar("x")], sympy=sp.sin, task="t")\n',
                "b.py",
            )
        )
    load_pack(COURSE)
    twin = write(
        tmp_path,
        'pack = Pack("other")\npack.add("softmax_jacobian", params=[scalar("x")], sympy=sp.sin, task="t")\n',
        "c.py",
    )
    with pytest.raises(PackError, match="already an exercise of the pack"):
        load_pack(twin)


def test_domains_and_counts_describe_themselves_for_the_starter():
    """Each parameter's line names its shape, sizes and domain as the starter and `grade list` show it."""
    n = size("n", 2, 5)
    assert vector("x", n, positive(0.5, 4)).describe() == "x: shape (n,), n = 2..5; entries in [0.5, 4]"
    assert scalar("t", nonzero(0.1)).describe() == "t: a float 0.1 <= |v| <= 10"
    assert matrix("W", n, 3).describe() == "W: shape (n, 3), n = 2..5"
    assert count("steps", 1, 9).describe() == "steps: an int, 1..9"


def test_the_built_in_sets_scalar_and_jacobians_are_declared_through_the_pack_api():
    """13 built-in exercises are made by Pack.add; the scalar ones keep formula answers (symbolic)."""
    from exercises import jacobians, scalar

    assert isinstance(scalar.pack, Pack) and scalar.pack.exercises == scalar.EXERCISES
    assert isinstance(jacobians.pack, Pack) and jacobians.pack.exercises == jacobians.EXERCISES
    assert len(scalar.EXERCISES) + len(jacobians.EXERCISES) == 13
    assert all(e.symbolic is not None for e in scalar.EXERCISES)
    identity = next(e for e in jacobians.EXERCISES if e.name == "jacobian_identity")
    assert identity.primal_name == "f(x) = x" and identity.catalogue == ("GJ-08",)
    np.testing.assert_array_equal(identity.reference(np.zeros(3)), np.eye(3))


def test_a_formula_given_as_text_must_have_scalar_parameters(tmp_path):
    """sympy="..." text is for scalar parameters; with a vector the message says to give a function."""
    path = write(tmp_path, MINE + 'pack.add("f", params=[vector("x", 2)], sympy="x**2", task="t")\n')
    with pytest.raises(PackError, match="needs scalar"):
        load_pack(path)
    bad = write(tmp_path, MINE + 'pack.add("f", params=[scalar("x")], sympy="x**", task="t")\n', "b.py")
    with pytest.raises(PackError, match="is not a formula sympy can differentiate"):
        load_pack(bad)


def test_a_structural_identity_declared_in_a_pack_joins_the_exercise(tmp_path):
    """identities=[Relation(name, test)] reaches Exercise.identities; a non-identity is refused."""
    path = write(
        tmp_path,
        MINE + "def symmetric(case):\n"
        "    J = np.asarray(case.got.values if hasattr(case.got, 'values') else case.got)\n"
        "    return None if np.allclose(J, J.T) else Verdict('the Jacobian of softmax is symmetric')\n"
        'pack.add("sm", params=[vector("z", size("n"), interval(-5, 5))], value=vector("s", size("n")),\n'
        "         sympy=lambda z: z.applyfunc(sp.exp) / sum(z.applyfunc(sp.exp)), task='t',\n"
        '         identities=[Relation("the Jacobian is symmetric", symmetric)])\n',
    )
    [exercise] = load_pack(path).exercises
    assert [i.name for i in exercise.identities] == ["the Jacobian is symmetric"]
    bad = write(
        tmp_path,
        MINE + 'pack.add("f", params=[scalar("x")], sympy=sp.sin, task="t", identities=[1])\n',
        "b.py",
    )
    with pytest.raises(PackError, match="is not an identity"):
        load_pack(bad)
