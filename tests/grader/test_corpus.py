"""The corpus: right answers in many styles pass, classic wrong answers fail with their diagnosis.

tests/corpus/ holds student-style submissions (data, never imported here):

- correct_<style>.py: every exercise answered correctly in one style (loops over indices,
  plain lists and the math module, float32 arithmetic, vectorised numpy, formula strings);
- wrong/<exercise>__<mistake>.py: one classic wrong answer of catalogue.md §4 each, with its
  expected status and diagnosis in WRONG below;
- mixed_submission.py, stub_and_misspelt.py, raising.py: for the tests of the report as a whole.

Every correct_<style>.py is graded once for all its exercises.  The wrong answers are dealt
into rounds (round k: the k-th wrong answer of every exercise), and each round is joined into
one file and graded once: every exercise is still checked on its own, with the seed of its name,
so its result is the one its file alone gets (one worker start per round instead of per file).
All of it runs in a pool of two processes that the module starts for the cases pytest
collected; each test reads its exercise out of the report that holds it.

A case the grader gets wrong today is marked xfail(strict=True) with the reason: a weakness of
the grader to fix, never a weaker expectation.  The reasons are grouped in the constants below.
"""

from __future__ import annotations

import ast
import concurrent.futures
import dataclasses
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from exercises import all_exercises
from grader.checking import KINK_NAME, Shape, copy_input, diagnose, identities_of, keep_witness
from grader.exercise import Case, Exercise, Mistake
from grader.grading import Options, grade
from grader.render.json import render_json
from grader.report import ExerciseResult, Report
from grader.sandbox import Leaf, Limits

pytestmark = pytest.mark.slow  # grades the whole corpus: about 250 submissions

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
WRONG_DIR = CORPUS / "wrong"
SEED = 20261122
EXAMPLES = 30  # per correct exercise
WRONG_EXAMPLES = 25  # per wrong answer: a failure is found early, shrinking is the cost
CORNER_EXAMPLES = 100  # per answer wrong only at a corner: grade's default
SECONDS = 60.0  # per exercise: far above any case's need, also on a loaded machine (it is wall time)
SHAPE = Shape().name
EXERCISES = tuple(e.name for e in all_exercises())
DIAGNOSES = {
    "transpose", "sign", "factor", "normalisation", "missing-mask", "swapped-arguments",
    "shape", "wrong-variable", "chain-rule", "off-by-one", "precision", "wrong-rule",
}


# ---- grading jobs, run in a pool --------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One call of grade(): the file (or files, joined into one), which exercises, how hard."""

    parts: tuple[str, ...]
    only: tuple[str, ...]
    seconds: float = SECONDS
    examples: int = EXAMPLES

    def options(self) -> Options:
        # A round is one file of up to 41 exercises: its whole-submission limit (wall time too)
        # grows with them, so that a loaded machine does not turn a round into errors.
        most = max(Limits().submission_seconds, self.seconds * len(self.only))
        limits = dataclasses.replace(Limits(), exercise_seconds=self.seconds, submission_seconds=most)
        return Options(seed=SEED, examples=self.examples, only=self.only, limits=limits, jobs=1)


def _run(job: Job) -> Report:
    """Grade a job; several parts (wrong answers of different exercises) become one file."""
    if len(job.parts) == 1:
        return grade(job.parts[0], job.options())
    with tempfile.TemporaryDirectory(prefix="matgrade-corpus-") as scratch:
        joined = Path(scratch) / "round.py"
        joined.write_text(
            "\n\n".join(Path(p).read_text(encoding="utf-8") for p in job.parts), encoding="utf-8"
        )
        return grade(str(joined), job.options())


def _defined(path: Path) -> tuple[str, ...]:
    """The contract's names a corpus file defines (functions or formulas), in contract order."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return tuple(name for name in EXERCISES if name in names)


def _result(report: Report, exercise: str) -> ExerciseResult:
    [result] = [e for e in report.exercises if e.name == exercise]
    return result


def _explain(result: ExerciseResult) -> str:
    lines = [f"{result.name}: {result.status} {result.message}".rstrip()]
    for identity in result.identities:
        first = identity.message.splitlines()[0] if identity.message else ""
        lines.append(f"  - {identity.name}: {identity.status}, diagnosis={identity.diagnosis}: {first}")
    return "\n".join(lines)


# ---- the correct variants ----------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Style:
    """One correct_<style>.py file: how it is written, and the cases the grader fails today."""

    name: str
    description: str
    xfail: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return CORPUS / f"correct_{self.name}.py"

    def jobs(self) -> dict[str, Job]:
        """The job that grades each exercise the file defines: one for the whole file."""
        defined = _defined(self.path)
        return dict.fromkeys(defined, Job((str(self.path),), defined))


STYLES = (
    Style("loops", "explicit loops over indices, four-step chain rule, H(0) = 1/2 at the kink"),
    Style("lists", "plain Python: the math module, lists of lists, pairs as lists"),
    Style("vectorised", "einsum, np.where, boolean masks, z >= 0 masks (H(0) = 1)"),
    Style("float32", "every input cast to float32, float32 results"),
    Style("formulas", "formula strings instead of functions"),
)


@dataclass(frozen=True)
class Variant:
    """One exercise as answered in one style."""

    style: Style
    exercise: str

    @property
    def job(self) -> Job:
        return self.style.jobs()[self.exercise]


def _variants() -> Iterator[object]:
    for style in STYLES:
        for exercise in _defined(style.path):
            marks = []
            if exercise in style.xfail:
                marks.append(pytest.mark.xfail(strict=True, reason=style.xfail[exercise]))
            yield pytest.param(Variant(style, exercise), id=f"{exercise}-in-{style.name}", marks=marks)


# K3: at the ReLU kink each style uses its own subgradient, and the report must say which.
KINK_CONVENTIONS = [
    ("loops", "jac_relu", "H(0) = 1/2"),
    ("loops", "neuron_grad", "H(0) = 0"),
    ("lists", "layer_jacobian", "H(0) = 0"),
    ("vectorised", "jac_relu", "H(0) = 1"),
    ("vectorised", "neuron_grad", "H(0) = 1"),
    ("vectorised", "layer_jacobian", "H(0) = 1"),
]


# ---- the wrong answers -------------------------------------------------------------------------


@dataclass(frozen=True)
class Wrong:
    """A classic wrong answer: the file tests/corpus/wrong/<stem>.py and what grading must say.

    `only_shape`: the right values in another shape fail the shape identity and only it (K2).
    `never`: a class the answer must not be given (one that explains it on one input only).
    `says`: words the exercise's message must hold.
    `examples`: how hard it is graded; the answers wrong only at a corner or on structured
    inputs are graded as a student's file is, with the default 100.
    """

    stem: str
    diagnosis: str | None
    status: str = "failed"
    only_shape: bool = False
    xfail: str | None = None
    never: str | None = None
    says: str | None = None
    examples: int = WRONG_EXAMPLES

    @property
    def exercise(self) -> str:
        return self.stem.split("__")[0]

    @property
    def path(self) -> Path:
        return WRONG_DIR / f"{self.stem}.py"


W = Wrong
# "raises off the worked example": wrong on the worked example and raising on other shapes (an
# `error`, report.md); the search goes on past a failing explicit example and meets both.
WRONG = (
    # ---- scalar
    W("d_ln_x2__inner_derivative_forgotten", "chain-rule"),
    W("d_ln_x2__half", "factor"),
    W("d_ln_x2__sign_flipped", "sign"),
    W("d_ln_x2__abs_of_x", "sign"),
    W("d_ln_x2__formula_inner_derivative_forgotten", "chain-rule"),
    W("d_ln_x2__two_percent_off_in_float16", None, never="precision"),
    W("d_sin_x2__inner_derivative_forgotten", "chain-rule"),
    W("d_sin_x2__argument_not_substituted", "wrong-variable"),
    W("d_sin_x2__minus_sin", "wrong-rule"),
    W("d_sin_x2__half", "factor"),
    W("d_sin_x2__float16", "precision"),
    W("d_ln_sin_x3_sq__chain_stopped_early", "chain-rule"),
    W("d_ln_sin_x3_sq__log_factor_missing", "chain-rule"),
    W("d_ln_sin_x3_sq__square_factor_missing", "factor"),
    W("d_ln_sin_x3_sq__innermost_factor_missing", "chain-rule"),
    W("d_x_plus_x2__single_path", "chain-rule"),
    W("d_sin_x_plus_x2__inner_derivative_forgotten", "chain-rule"),
    W("d_sin_x_plus_x2__direct_path_dropped", "chain-rule"),
    W("d_x_times_x2__one_path_2x2", "chain-rule"),
    W("d_x_times_x2__one_path_x2", "chain-rule"),
    W("d_x_times_x2__power_rule_3x", "wrong-rule"),
    # ---- jacobians
    W("grad_3x2y__y_dropped", "wrong-variable"),
    W("grad_3x2y__partials_swapped", "swapped-arguments"),
    W("grad_3x2y__y_not_differentiated", "wrong-rule"),
    W("grad_3x2y__column", "shape", only_shape=True),
    W("grad_x2_cos_y__sin_of_x", "wrong-variable"),
    W("grad_x2_cos_y__sign_of_sin", "sign"),
    W("grad_x2_cos_y__x_dropped", "wrong-rule"),
    W("grad_x2_cos_y__row_matrix", "shape", only_shape=True),
    W("jacobian_3x2y_2x_y8__denominator_layout", "transpose"),
    W("jacobian_3x2y_2x_y8__power_rule", "wrong-rule"),
    W("jacobian_3x2y_2x_y8__2x_not_differentiated", "wrong-rule"),
    W("jacobian_2x_y3__denominator_layout", "transpose"),
    W("jacobian_2x_y3__sign_of_13", "sign"),
    W("jacobian_2x_y3__y3_not_differentiated", "wrong-rule"),
    W("jacobian_sin_ln__notes_bottom_right", "chain-rule"),
    W("jacobian_sin_ln__inner_factor_missing", "chain-rule"),
    W("jacobian_sin_ln__outer_factor_missing", "chain-rule"),
    W("jacobian_sin_ln__top_right_zero", "chain-rule"),
    W("jacobian_sin_ln__transposed", "transpose"),
    W("jacobian_sin_ln__factors_in_wrong_order", "chain-rule"),
    W("jacobian_identity__ones_vector", "shape"),
    W("jacobian_identity__all_ones_matrix", "wrong-rule"),
    W("jacobian_identity__scalar_one", "shape"),
    W("d_ln_x2_sin_3x__inner_2x_missing", "chain-rule"),
    W("d_ln_x2_sin_3x__inner_3_missing", "chain-rule"),
    W("d_ln_x2_sin_3x__column", "shape", only_shape=True),
    # ---- elementwise
    W("jac_add__ones_vectors", "shape"),
    W("jac_add__twice_identity", "factor"),
    W("jac_sub__sign_lost", "sign"),
    W("jac_sub__sign_on_w", "sign"),
    W("jac_mul__arguments_swapped", "swapped-arguments"),
    W("jac_mul__outer_product", "wrong-rule"),
    W("jac_mul__diagonals_as_vectors", "shape"),
    W("jac_div__one_over_w", "wrong-variable"),
    W("jac_div__sign", "sign"),
    W("jac_div__w_dropped", "wrong-rule"),
    W("jac_max__identity_for_both", "missing-mask"),
    W("jac_max__masks_swapped", "swapped-arguments"),
    W("jac_max__masks_as_vectors", "shape"),
    W("jac_relu__mask_as_vector", "shape"),
    W("jac_relu__identity", "missing-mask"),
    W("jac_relu__diag_x", "wrong-rule"),
    W("jac_relu__sign_of_x", "missing-mask"),
    W("jac_scalar_add__scalar_one_for_z", "shape"),
    W("jac_scalar_add__n_for_z", "shape"),
    W("jac_scalar_add__ones_vector_for_x", "shape"),
    W("jac_scalar_mul__scalar_z_for_x", "shape"),
    W("jac_scalar_mul__sum_for_z", "shape"),
    W("jac_scalar_mul__swapped", "swapped-arguments"),
    W("jac_scalar_mul__column_for_z", "shape", only_shape=True),
    # ---- reductions
    W("grad_sum__identity", "wrong-rule"),
    W("grad_sum__scalar_n", "shape"),
    W("grad_sum__column", "shape", only_shape=True),
    W("grad_sum_xz__reduction_forgotten", "shape"),
    W("grad_sum_xz__sum_forgotten", "shape"),
    W("grad_sum_xz__x_for_dx", "wrong-variable"),
    W("grad_dot__arguments_swapped", "swapped-arguments"),
    W("grad_dot__diag", "shape"),
    W("grad_dot__columns", "shape", only_shape=True),
    W("vector_chain__transposed", "transpose"),
    W("vector_chain__wrong_order", "chain-rule", status="error"),  # raises off the worked example
    # ---- neuron
    W("neuron__no_relu", "missing-mask"),
    W("neuron__bias_after_relu", "chain-rule"),
    W("neuron__array_of_one", "shape", only_shape=True),
    W("neuron_grad__mask_forgotten", "missing-mask"),
    W("neuron_grad__w_for_x", "wrong-variable"),
    W("neuron_grad__mask_of_activation", "missing-mask"),
    W("neuron_grad__db_unmasked", "missing-mask"),
    W("neuron_grad__column", "shape", only_shape=True),
    W("layer_forward__W_transposed", "transpose", status="error"),  # raises off the worked example
    W("layer_forward__relu_before_bias", "chain-rule"),
    W("layer_forward__no_relu", "missing-mask"),
    W("layer_forward__column", "shape", only_shape=True),
    W("layer_jacobian__mask_missing", "missing-mask"),
    W("layer_jacobian__mask_from_activation", "missing-mask"),
    # It raises on non-square W (an `error`, as report.md says); on the square example it runs
    # and the values show the wrong order of the factors.
    W("layer_jacobian__wrong_order", "chain-rule", status="error"),
    W("layer_jacobian__transposed", "transpose"),
    # ---- loss
    W("mse_loss__not_squared", "wrong-rule"),
    W("mse_loss__no_relu", "missing-mask"),
    W("mse_loss__sum_instead_of_mean", "normalisation"),
    W("mse_loss__half_convention", "factor"),
    W("mse_grad__mask_forgotten", "missing-mask"),
    W("mse_grad__factor_2_dropped", "factor"),
    W("mse_grad__sign_flipped", "sign"),
    W("mse_grad__sum_instead_of_mean", "normalisation"),
    W("mse_grad__mean_over_active", "normalisation"),
    W("mse_grad__shared_mask", "missing-mask"),
    W("mse_grad__db_unmasked", "missing-mask"),
    W("mse_grad__column", "shape", only_shape=True),
    W("mse_grad__float32_as_float64", "precision"),
    W("mse_grad_half__half_forgotten", "factor"),
    W("mse_grad_half__two_not_cancelled", "factor"),
    W("mse_grad_half__mask_forgotten", "missing-mask"),
    W("mse_grad_half__error_sign", "sign"),
    W("gd_step__ascent", "sign"),
    W("gd_step__half_step", "factor"),
    W("gd_step__b_updated_with_dw", "wrong-variable"),
    W("gd_step__row_gradient_broadcast", "shape"),
    W("num_minibatches__floor", "off-by-one"),
    W("num_minibatches__true_division", "off-by-one"),
    W("num_minibatches__floor_plus_one", "off-by-one"),
    W("num_minibatches__rounded", "off-by-one"),
    W("sgd_epoch__last_batch_over_batch_size", "normalisation"),
    W("sgd_epoch__last_batch_dropped", "off-by-one"),
    W("sgd_epoch__sum_instead_of_mean", "normalisation"),
    # ---- backprop
    W("sigmoid_prime__sigma_not_derivative", "wrong-variable"),
    W("sigmoid_prime__applied_twice", "wrong-variable"),
    W("sigmoid_prime__factor_s_missing", "wrong-rule"),
    W("delta_output__prime_omitted", "chain-rule"),
    W("delta_output__sigma_for_prime", "wrong-variable"),
    W("delta_output__sign", "sign"),
    W("delta_output__factor_2", "factor"),
    W("delta_hidden__W_not_transposed", "transpose", status="error"),  # raises off the worked example
    W("delta_hidden__prime_omitted", "chain-rule"),
    W("delta_hidden__matrix_product_for_hadamard", "shape"),
    W("layer_grads__transposed_outer", "transpose"),
    W("layer_grads__db_summed", "shape"),
    W("layer_grads__elementwise", "wrong-rule", status="error"),  # raises off the worked example
    W("backprop__W_not_transposed", "transpose", status="error"),  # raises off the worked example
    W("backprop__sign", "sign"),
    W("backprop__dW_transposed", "transpose"),
    W("backprop__activation_of_same_layer", "wrong-variable"),
    W("backprop_batch__sum_instead_of_mean", "normalisation"),
    W("backprop_batch__db_not_averaged", "normalisation"),
    # ---- named on one input only (issue 17): each explains every failing input, or is not named
    W("d_sin_x2__x_times_x_for_2x", None, never="chain-rule"),  # = cos(x^2) at x = 1 only
    W("d_ln_x2__one_over_x_cubed", None, never="chain-rule"),  # = 1/x^2 at x = 1 only
    W("sigmoid_prime__extra_one_plus_z2", None, never="factor"),  # 2 times at z = 1 only
    W("layer_jacobian__mask_without_bias", "wrong-variable", never="missing-mask"),
    W("d_ln_x2__relative_step_differences", None, never="precision"),  # not float32 numbers
    # ---- the weak classes, named by generic classifiers
    W("num_minibatches__one_too_many", "off-by-one"),
    W("jacobian_3x2y_2x_y8__sign_of_second_row", "sign"),
    W("jac_div__arguments_swapped", "swapped-arguments"),
    W("layer_forward__bias_left_out", "wrong-variable"),
    W("sigmoid_prime__index_off_by_one", "off-by-one"),
    W("backprop_batch__first_dW_transposed", "transpose"),
    W("grad_x2_cos_y__power_rule_halved", "factor"),  # one entry 1/2 times, the other right
    W("grad_dot__mean_for_sum", "normalisation"),  # 1/n, no data set
    W("mse_grad_half__unbiased_mean", "normalisation"),  # 1/(N - 1)
    W("jacobian_2x_y3__exp_of_x", "wrong-variable"),
    W("sgd_epoch__mask_forgotten", "missing-mask"),
    W("layer_forward__leaky_relu", "missing-mask"),
    W("layer_jacobian__mask_on_inputs", "wrong-variable"),
    W("mse_grad__mask_without_bias", "wrong-variable"),
    W("grad_sum_xz__results_swapped", "swapped-arguments"),
    W("jac_scalar_mul__z_for_x_in_dz", "wrong-variable"),
    # ---- answers that depend on earlier calls: right alone, wrong after other calls
    W("jac_relu__cache_by_shape", None, says="depends on earlier calls"),
    W("layer_forward__buffer_between_calls", None, says="depends on earlier calls"),
    # ---- wrong only at a corner of the domain, or on inputs with structure (issue 17)
    W("neuron_grad__small_z_inactive", "missing-mask", examples=CORNER_EXAMPLES),
    W("layer_jacobian__small_z_inactive", "missing-mask", examples=CORNER_EXAMPLES),
    W("mse_grad__small_z_inactive", "missing-mask", examples=CORNER_EXAMPLES),
    W("jac_relu__small_x_inactive", "missing-mask", examples=CORNER_EXAMPLES),
    W("sigmoid_prime__clipped", None, examples=CORNER_EXAMPLES),
    W("delta_output__clipped_at_10", None, examples=CORNER_EXAMPLES),  # |z| up to 38 (the set's nets)
    W("delta_hidden__saturated_units_zero", None, examples=CORNER_EXAMPLES),
    W("neuron__small_z_inactive", "missing-mask", examples=CORNER_EXAMPLES),
    W("gd_step__small_z_inactive", "missing-mask", examples=CORNER_EXAMPLES),
    W("sgd_epoch__small_z_inactive", "missing-mask", examples=CORNER_EXAMPLES),
    W("grad_sum_xz__zero_shortcut", None, examples=CORNER_EXAMPLES),
    W("vector_chain__allclose_identity_guard", None, examples=CORNER_EXAMPLES),
    W("num_minibatches__reciprocal_product", "off-by-one", examples=CORNER_EXAMPLES),
    W("mse_grad__fitted_shortcut", None, never="precision", examples=CORNER_EXAMPLES),  # returns 0.0
    W("backprop__clipped_sigmoid", None, examples=CORNER_EXAMPLES),
    W("d_ln_x2__strict_bound", None, examples=CORNER_EXAMPLES),
    W("jac_div__strict_bound", None, examples=CORNER_EXAMPLES),
    W("gd_step__strict_lr_bound", None, examples=CORNER_EXAMPLES),
    W("num_minibatches__approximate_ceiling", "off-by-one", examples=CORNER_EXAMPLES),
    W("num_minibatches__power_of_two_shift", "off-by-one", examples=CORNER_EXAMPLES),
    W("jac_mul__equal_arguments_branch", None, examples=CORNER_EXAMPLES),
    W("grad_dot__zero_argument_shortcut", None, examples=CORNER_EXAMPLES),
    W("jac_sub__allclose_guard", None, examples=CORNER_EXAMPLES),
    W("mse_grad__duplicate_rows_dropped", None, examples=CORNER_EXAMPLES),
    W(
        "jac_mul__allclose_zero_guard",
        None,
        examples=CORNER_EXAMPLES,
        xfail="needs every entry of x below np.allclose's atol (1e-8) and not all 0: the scales "
        "family draws that for about 1 input set in 100",
    ),
)


def _wrong_params() -> Iterator[object]:
    for case in WRONG:
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        label = f"{case.stem}->{case.diagnosis or case.status}"
        yield pytest.param(case, id=label, marks=marks)


# ---- the pool ----------------------------------------------------------------------------------


def _rounds(cases: list[Wrong]) -> list[list[Wrong]]:
    """The wrong answers dealt into rounds: round k holds the k-th answer of each exercise.

    The files of a round define different functions, so a round is graded as one file (one
    worker start instead of one per answer); every exercise is still checked on its own, with
    the seed of its name, so its report is the one the file alone would get.
    """
    rounds: list[list[Wrong]] = []
    seen: dict[str, int] = {}
    for case in cases:
        k = seen.get(case.exercise, 0)
        seen[case.exercise] = k + 1
        if k == len(rounds):
            rounds.append([])
        rounds[k].append(case)
    return rounds


class Corpus:
    """Grades the collected corpus cases in a pool of processes; hands out their results."""

    def __init__(self, items: list[pytest.Item]) -> None:
        self.job_of: dict[Variant | Wrong, Job] = {}
        wrongs: list[Wrong] = []
        for item in items:
            callspec = getattr(item, "callspec", None)
            for value in callspec.params.values() if callspec else ():
                if isinstance(value, Variant):
                    self.job_of[value] = value.job
                elif isinstance(value, Wrong) and value not in wrongs:
                    wrongs.append(value)
        for examples in sorted({c.examples for c in wrongs}):
            for members in _rounds([c for c in wrongs if c.examples == examples]):
                job = Job(
                    tuple(str(c.path) for c in members),
                    tuple(c.exercise for c in members),
                    examples=examples,
                )
                self.job_of.update(dict.fromkeys(members, job))
        workers = max(1, min(2, os.cpu_count() or 1))
        context = multiprocessing.get_context("fork")
        self.pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context)
        jobs = sorted(set(self.job_of.values()), key=lambda job: (-len(job.only), job.parts))
        self.futures = {job: self.pool.submit(_run, job) for job in jobs}

    def result(self, case: Variant | Wrong) -> ExerciseResult:
        """The exercise's result in the report of the job that graded the case."""
        if isinstance(case, Variant):
            job = self.job_of.get(case) or case.job
        else:
            job = self.job_of.get(case) or Job((str(case.path),), (case.exercise,), examples=case.examples)
        future = self.futures.get(job)
        report = future.result() if future is not None else _run(job)
        return _result(report, case.exercise)


@pytest.fixture(scope="module")
def corpus(request: pytest.FixtureRequest) -> Iterator[Corpus]:
    """The corpus cases pytest collected, grading in the background from the first use on."""
    graded = Corpus(request.session.items)
    try:
        yield graded
    finally:
        graded.pool.shutdown(wait=True, cancel_futures=True)


# ---- the corpus itself -------------------------------------------------------------------------


def test_the_wrong_answer_table_and_the_wrong_directory_agree():
    """Every file in tests/corpus/wrong/ has a row in WRONG, and every row has its file."""
    files = sorted(p.stem for p in WRONG_DIR.glob("*.py"))
    rows = [case.stem for case in WRONG]
    assert sorted(rows) == files
    assert len(set(rows)) == len(rows)
    for case in WRONG:
        assert case.exercise in EXERCISES, case.stem
        assert case.diagnosis is None or case.diagnosis in DIAGNOSES, case.stem
        assert _defined(case.path) == (case.exercise,), case.stem


def test_every_exercise_has_two_correct_styles_and_a_classic_wrong_answer():
    """Each of the 41 exercises is answered right in at least two styles and wrong at least once."""
    assert len(EXERCISES) == 41
    for exercise in EXERCISES:
        styles = [s.name for s in STYLES if exercise in _defined(s.path) and exercise not in s.xfail]
        assert len(styles) >= 2, (exercise, styles)
        assert any(case.exercise == exercise for case in WRONG), exercise


# ---- the report as a whole ---------------------------------------------------------------------


@pytest.mark.usefixtures("corpus")  # the pool grades the corpus meanwhile
def test_the_same_submission_and_seed_give_a_byte_identical_json_report():
    """Grading one file twice with one seed gives the same JSON, byte for byte."""
    path = str(CORPUS / "mixed_submission.py")
    options = Options(seed=7, examples=25)
    first = render_json(grade(path, options))
    second = render_json(grade(path, options))
    assert first == second
    assert '"seed": 7' in first
    assert '"counterexample": {' in first  # failures, with their inputs, are part of it


_FRESH = """
import sys
from grader.grading import Options, grade
from grader.render.json import render_json
from grader.sandbox import Limits
limits = Limits(exercise_seconds=float(sys.argv[4]))
seed, examples, only = int(sys.argv[2]), int(sys.argv[3]), (sys.argv[5],)
options = Options(seed=seed, examples=examples, only=only, limits=limits, jobs=1)
sys.stdout.write(render_json(grade(sys.argv[1], options)))
"""


@pytest.mark.usefixtures("corpus")
def test_a_file_graded_after_other_work_in_the_process_gets_the_report_of_a_fresh_process():
    """The same file and seed give a fresh process's JSON, byte for byte, when graded twice in one
    process, after another file, and after property tests that drew with Hypothesis's constants."""
    import subprocess
    import sys

    from hypothesis import HealthCheck, given, settings

    target = WRONG_DIR / "layer_jacobian__mask_without_bias.py"
    job = Job((str(target),), ("layer_jacobian",), examples=WRONG_EXAMPLES)
    command = [sys.executable, "-c", _FRESH, str(target), str(SEED), str(WRONG_EXAMPLES), str(SECONDS)]
    fresh = subprocess.run([*command, "layer_jacobian"], capture_output=True, text=True, check=True).stdout
    assert '"counterexample": {' in fresh
    reports = [render_json(_run(job))]
    _run(Job((str(WRONG_DIR / "sgd_epoch__last_batch_dropped.py"),), ("sgd_epoch",), examples=WRONG_EXAMPLES))
    reports.append(render_json(_run(job)))
    for exercise in all_exercises():

        @settings(max_examples=20, database=None, suppress_health_check=list(HealthCheck))
        @given(exercise.inputs())
        def property_test(inputs: dict[str, object]) -> None:  # draws with the constants of every module
            assert all(isinstance(name, str) for name in inputs)

        property_test()
    reports.append(render_json(_run(job)))
    assert reports == [fresh] * 3


@pytest.mark.usefixtures("corpus")
def test_grading_writes_nothing_into_the_current_directory(tmp_path, monkeypatch):
    """Grading a file in the current directory leaves that directory as it was."""
    shutil.copy(CORPUS / "mixed_submission.py", tmp_path / "homework.py")
    monkeypatch.chdir(tmp_path)
    report = grade("homework.py", Options(examples=25, only=("scalar", "elementwise", "neuron")))
    assert report.loaded
    assert {e.status for e in report.exercises} >= {"passed", "failed", "missing"}
    assert sorted(os.listdir(tmp_path)) == ["homework.py"]


@pytest.mark.usefixtures("corpus")
def test_a_stub_is_missing_and_a_misspelt_name_gets_did_you_mean():
    """raise NotImplementedError counts as missing; `nueron_grad` is missing, with a suggestion."""
    report = grade(str(CORPUS / "stub_and_misspelt.py"), Options(examples=25, only=("neuron", "mse_grad")))
    stub = _result(report, "mse_grad")
    misspelt = _result(report, "neuron_grad")
    assert stub.status == "missing", _explain(stub)
    assert misspelt.status == "missing", _explain(misspelt)
    assert "did you mean" in misspelt.message and "nueron_grad" in misspelt.message
    assert _result(report, "neuron").status == "passed"


@pytest.mark.usefixtures("corpus")
def test_a_function_that_raises_is_an_error_and_the_others_still_pass():
    """Raising, returning None or exiting costs only that exercise; the rest of the file passes."""
    broken = {
        "d_ln_x2": "ValueError",  # raises on every input
        "jac_relu": "IndexError",  # raises only for n > 3
        "grad_sum": "return",  # returns None
        "layer_forward": "exit",  # ends its process
    }
    right = ("d_sin_x2", "grad_3x2y", "jac_add", "neuron")
    report = grade(str(CORPUS / "raising.py"), Options(examples=25, only=(*broken, *right)))
    for name, word in broken.items():
        result = _result(report, name)
        assert result.status == "error", _explain(result)
        assert result.score == 0
        assert word in result.message, _explain(result)
    for name in right:
        assert _result(report, name).status == "passed", _explain(_result(report, name))
    assert report.exit_code == 1


# ---- right answers pass ------------------------------------------------------------------------


@pytest.mark.parametrize("variant", list(_variants()))
def test_a_correct_variant_passes(variant: Variant, corpus: Corpus) -> None:
    """A right answer, whatever its style, passes every identity of its exercise."""
    result = corpus.result(variant)
    assert result.status == "passed", _explain(result)
    assert result.score == result.max_score
    assert all(i.status == "passed" for i in result.identities), _explain(result)


@pytest.mark.parametrize(("style", "exercise", "convention"), KINK_CONVENTIONS)
def test_any_subgradient_at_the_relu_kink_is_accepted_and_named(
    style: str, exercise: str, convention: str, corpus: Corpus
) -> None:
    """K3: H(0) = 0, 1/2 or 1 at z = 0 all pass, and the report names the one used."""
    [chosen] = [s for s in STYLES if s.name == style]
    result = corpus.result(Variant(chosen, exercise))
    [kink] = [i for i in result.identities if i.name == KINK_NAME]
    assert kink.status == "passed", _explain(result)
    assert f"you used {convention};" in kink.message, kink.message


# ---- wrong answers fail, and say why -----------------------------------------------------------


@pytest.mark.parametrize("case", list(_wrong_params()))
def test_a_classic_wrong_answer_fails_with_its_diagnosis(case: Wrong, corpus: Corpus) -> None:
    """A classic wrong answer fails, and a failing identity names the mistake (catalogue §4)."""
    result = corpus.result(case)
    assert result.status == case.status, _explain(result)
    assert result.score < result.max_score
    failing = [i for i in result.identities if i.status == "failed"]
    if case.diagnosis is not None:
        assert case.diagnosis in {i.diagnosis for i in failing}, _explain(result)
    if case.diagnosis == "shape":
        assert SHAPE in {i.name for i in failing}, _explain(result)
    if case.only_shape:
        assert [i.name for i in failing] == [SHAPE], _explain(result)
    if case.never is not None:
        assert case.never not in {i.diagnosis for i in failing}, _explain(result)
    if case.says is not None:
        assert case.says in result.message, _explain(result)


# ---- counterexamples are minimal ---------------------------------------------------------------
#
# The entries of the smallest input on which each exercise's wrong answers can fail: one per
# scalar, a 1 x 1 layer, N = 1 row (README, "Counterexamples").  A wrong answer that needs a larger
# input to show has its own bound in MINIMAL_NEEDS, with why.  The kink check's inputs are fixed
# (K3), never shrunk, so it is left out.

MINIMAL_ENTRIES = {
    **dict.fromkeys(
        ("d_ln_x2", "d_sin_x2", "d_ln_sin_x3_sq", "d_x_plus_x2", "d_sin_x_plus_x2", "d_x_times_x2"), 1
    ),
    **dict.fromkeys(
        ("grad_3x2y", "grad_x2_cos_y", "jacobian_3x2y_2x_y8", "jacobian_2x_y3", "jacobian_sin_ln"), 2
    ),
    "jacobian_identity": 1,
    "d_ln_x2_sin_3x": 1,
    **dict.fromkeys(("jac_add", "jac_sub", "jac_mul", "jac_div", "jac_max"), 2),
    "jac_relu": 1,
    **dict.fromkeys(("jac_scalar_add", "jac_scalar_mul", "grad_sum_xz", "grad_dot", "vector_chain"), 2),
    "grad_sum": 1,
    **dict.fromkeys(("neuron", "neuron_grad", "layer_forward", "layer_jacobian"), 3),  # 1 x 1
    **dict.fromkeys(("mse_loss", "mse_grad", "mse_grad_half"), 4),  # n = N = 1
    "gd_step": 5,
    "num_minibatches": 2,
    "sgd_epoch": 6,
    "sigmoid_prime": 1,
    "delta_output": 2,
    "delta_hidden": 3,
    "layer_grads": 2,
    **dict.fromkeys(("backprop", "backprop_batch"), 4),  # one 1 x 1 layer, one example
}
V2 = "at n = 1 the values are right, only the shape is wrong: the values fail from n = 2"
MINIMAL_NEEDS = {
    "jacobian_identity__all_ones_matrix": (2, "a matrix of ones is I at n = 1"),
    "jacobian_identity__ones_vector": (2, V2),
    "jacobian_identity__scalar_one": (2, V2),
    "jac_add__ones_vectors": (4, V2),
    "jac_mul__diagonals_as_vectors": (4, V2),
    "jac_mul__outer_product": (4, "off-diagonal entries exist from n = 2"),
    "grad_dot__mean_for_sum": (4, "a mean over one entry is the entry: it fails from n = 2"),
    "mse_grad_half__unbiased_mean": (6, "1/(N - 1) is 1/N at N = 1 (max(N - 1, 1)): it fails from N = 2"),
    "jac_max__masks_as_vectors": (4, V2),
    "jac_relu__mask_as_vector": (2, V2),
    "jac_scalar_add__n_for_z": (3, V2),
    "jac_scalar_add__ones_vector_for_x": (3, V2),
    "jac_scalar_add__scalar_one_for_z": (3, V2),
    "jac_scalar_mul__scalar_z_for_x": (3, V2),
    "jac_scalar_mul__sum_for_z": (3, V2),
    "grad_sum__identity": (2, V2),
    "grad_sum__scalar_n": (2, V2),
    "grad_sum_xz__reduction_forgotten": (3, V2),
    "grad_sum_xz__sum_forgotten": (3, V2),
    "grad_dot__diag": (4, V2),
    "vector_chain__transposed": (4, "J^T differs from J in values only when square: J_f 2 x 1, J_g 1 x 2"),
    "vector_chain__wrong_order": (4, "J_g J_f differs from J_f J_g only off 1 x 1"),
    "layer_forward__W_transposed": (8, "W.T differs from W only for a 2 x 2 W (it raises off square)"),
    "layer_jacobian__transposed": (8, "a transposed 2 x 2 Jacobian (another shape fails the shape only)"),
    "layer_jacobian__wrong_order": (8, "the factors commute at 1 x 1; it raises off square"),
    "layer_grads__transposed_outer": (4, "a transposed outer product differs in values when 2 x 2"),
    "layer_grads__elementwise": (5, "it raises when delta and a_prev have 2 and 3 entries"),
    "layer_grads__db_summed": (3, "a sum of one entry is the entry"),
    "delta_hidden__W_not_transposed": (8, "W.T differs from W only for a 2 x 2 W (it raises off square)"),
    "delta_hidden__matrix_product_for_hadamard": (8, "as above"),
    "backprop_batch__db_not_averaged": (6, "two examples: the mean of one is itself"),
    "backprop_batch__sum_instead_of_mean": (6, "as above"),
    "mse_loss__sum_instead_of_mean": (6, "two examples: the mean of one is itself"),
    "mse_grad__sum_instead_of_mean": (6, "as above"),
    "mse_grad__mean_over_active": (6, "two examples, one active and one not"),
    "mse_grad__shared_mask": (6, "as above: at N = 1 the one mask is the example's own"),
    "backprop__activation_of_same_layer": (
        6,
        "the values fail at one 1 x 1 layer; BP1 and BP2 (judged on the shape) from a 1 x 2 one",
    ),
    "gd_step__row_gradient_broadcast": (7, "the broadcast shows from n = 2"),
    "sgd_epoch__sum_instead_of_mean": (8, "a batch of two"),
    "sgd_epoch__last_batch_dropped": (10, "a short last batch: N = 3, batch_size = 2"),
    "sgd_epoch__last_batch_over_batch_size": (10, "as above"),
    "backprop__W_not_transposed": (13, "a square 2 x 2 second layer over a 2 x 1 first one"),
    "backprop_batch__first_dW_transposed": (10, "as backprop__dW_transposed"),
    "sigmoid_prime__index_off_by_one": (2, "z[i - 1] is z[i] for one entry"),
    "backprop__clipped_sigmoid": (
        8,
        "|z| > 8 needs two inputs (one reaches 2 * 3 + 2 = 8 at most), and BP2 a second layer",
    ),
    "mse_grad__duplicate_rows_dropped": (
        8,
        "a duplicate row and another one: N = 3 (the mean over two equal rows is either row)",
    ),
    "backprop__dW_transposed": (10, "a square 2 x 2 layer: a transposed 2 x 1 dW fails the shape only"),
}
# The largest value a count may have in the reported input (the minimal one).
MINIMAL_COUNTS = {
    "num_minibatches__floor": {"m": 3, "batch_size": 2},
    "num_minibatches__true_division": {"m": 3, "batch_size": 2},
    "num_minibatches__floor_plus_one": {"m": 1, "batch_size": 1},
    "num_minibatches__one_too_many": {"m": 1, "batch_size": 1},
    # (5, 2) and (4, 3) fail alike and are equally small (m + batch_size = 7): either may be shown
    "num_minibatches__rounded": {"m": 5, "batch_size": 3},
    "num_minibatches__approximate_ceiling": {"m": 1002, "batch_size": 1001},  # 1/b < 0.001
    "num_minibatches__power_of_two_shift": {"m": 3, "batch_size": 2},
}


def _minimal_params() -> Iterator[object]:
    for case in WRONG:
        if case.says is not None:
            continue  # answers that depend on earlier calls: a sequence, not one input
        marks = []
        if case.xfail is not None:  # not caught at all: there is no counterexample to measure
            marks.append(pytest.mark.xfail(strict=True, reason=case.xfail))
        yield pytest.param(case, id=case.stem, marks=marks)


def test_the_minimal_table_states_every_exercise() -> None:
    """Every exercise has a stated minimal size, and every override names a corpus answer."""
    assert set(MINIMAL_ENTRIES) == set(EXERCISES)
    stems = {case.stem for case in WRONG}
    assert set(MINIMAL_NEEDS) | set(MINIMAL_COUNTS) <= stems


@pytest.mark.parametrize("case", list(_minimal_params()))
def test_every_reported_counterexample_is_no_larger_than_the_minimal_one(case: Wrong, corpus: Corpus) -> None:
    """Each failing identity's counterexample has at most the entries of the smallest input on
    which the answer fails (worked examples included: they no longer win when larger), and a
    count at most the smallest failing one (num_minibatches with a floor: m = 3, not 1000000)."""
    from grader.checking.run import size_of

    result = corpus.result(case)
    bound = MINIMAL_NEEDS.get(case.stem, (MINIMAL_ENTRIES[case.exercise], ""))[0]
    failed = [i for i in result.identities if i.status != "passed" and i.counterexample]
    shown = [i for i in failed if i.name != KINK_NAME]
    assert shown, _explain(result)
    for identity in shown:
        assert identity.counterexample is not None
        inputs = identity.counterexample.inputs
        entries, _ = size_of(inputs)
        assert entries <= bound, (identity.name, inputs)
        for name, most in MINIMAL_COUNTS.get(case.stem, {}).items():
            assert inputs[name] <= most, (identity.name, inputs)


# ---- the declared mistakes, without a worker ---------------------------------------------------
#
# diagnose() reads a Case: the inputs, the reference's answer and the student's.  Here the
# student's answer is computed in the test (the reference itself, a declared mistake, an
# unrelated change), on inputs drawn from the exercise's own strategy and its explicit examples.


def _as_returned(value: object, dtype: str = "float64") -> object:
    """An answer as the worker hands it back: Leaf leaves in the same tuples and lists."""
    import numpy as np

    if isinstance(value, tuple):
        return tuple(_as_returned(v, dtype) for v in value)
    if isinstance(value, list):
        return [_as_returned(v, dtype) for v in value]
    rounded = np.asarray(np.asarray(value, dtype=np.float64).astype(dtype), dtype=np.float64)
    return Leaf(values=rounded, dtype=dtype)


def _drawn_inputs(exercise: Exercise, count: int = 12) -> list[dict[str, object]]:
    """The exercise's explicit examples and `count` inputs of its strategy, the same each run."""
    from hypothesis import HealthCheck, given, settings

    drawn = [dict(example) for example in (exercise.examples() if exercise.examples else [])]

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(exercise.inputs())
    def collect(inputs: dict[str, object]) -> None:
        drawn.append(inputs)

    collect()
    return drawn


def _case(exercise: Exercise, inputs: dict[str, object], answer: object) -> Case:
    args = [copy_input(inputs[p]) for p in exercise.params]
    return Case(exercise=exercise, inputs=inputs, expected=exercise.reference(*args), got=answer)


def _answer(exercise: Exercise, inputs: dict[str, object], compute: Callable[..., object]) -> object:
    return compute(*(copy_input(inputs[p]) for p in exercise.params))


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda e: e.name)
def test_a_correct_answer_never_gets_a_diagnosis(exercise: Exercise) -> None:
    """The reference's own answer, in float64, explains no mistake; in float32 at most `precision`."""
    for inputs in _drawn_inputs(exercise):
        for dtype, allowed in (("float64", {None}), ("float32", {None, "precision"})):
            right = _as_returned(_answer(exercise, inputs, exercise.reference), dtype)
            found = diagnose(_case(exercise, inputs, right))
            assert (found.name if found else None) in allowed, (dtype, inputs, found)


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda e: e.name)
def test_an_unrelated_wrong_answer_gets_no_diagnosis(exercise: Exercise) -> None:
    """A change no mistake describes (1.37 times the answer plus 0.1) is not given a name."""
    import numpy as np

    def changed(value: object) -> object:
        if isinstance(value, (tuple, list)):
            return type(value)(changed(v) for v in value)
        return 1.37 * np.asarray(value, dtype=np.float64) + 0.1

    for inputs in _drawn_inputs(exercise):
        wrong = _as_returned(changed(_answer(exercise, inputs, exercise.reference)))
        assert diagnose(_case(exercise, inputs, wrong)) is None, inputs


MISTAKES = [
    pytest.param(exercise, mistake, id=f"{exercise.name}:{mistake.description[:40]}")
    for exercise in all_exercises()
    for mistake in exercise.mistakes
]


@pytest.mark.parametrize(("exercise", "mistake"), MISTAKES)
def test_a_declared_mistake_is_named_on_its_own_answer(exercise: Exercise, mistake: Mistake) -> None:
    """Where a mistake's answer differs from the reference, it is diagnosed, as itself mostly.

    On a degenerate input another mistake may give the same answer (s(0) = 1 - s(0), w = x,
    an argument 0); the diagnosis then names one of them, so only most of the inputs where
    no other declared mistake gives the same answer must name this one.
    """
    import numpy as np

    named, differing, shared = 0, 0, 0
    for inputs in _drawn_inputs(exercise, count=20):
        try:
            with np.errstate(all="ignore"):
                answer = _answer(exercise, inputs, mistake.answer)
        except ValueError:  # a shape error on this input: the mistake cannot be made here
            continue
        case = _case(exercise, inputs, _as_returned(answer))
        if not any(identity.check(case) for identity in identities_of(exercise)):
            continue  # the mistake coincides with the right answer on this input
        if _within_diagnosis_tolerance(answer, case.expected):
            continue  # e.g. x = 1e-5: x^2 and 3x^2 differ by 2e-10, below what diagnose tells apart
        found = diagnose(case)
        assert found is not None, inputs
        if _made_by_another(exercise, mistake, inputs, answer):
            shared += 1  # structured inputs (w = x, zeros): another mistake gives this answer too
            continue
        differing += 1
        named += found.name == mistake.diagnosis
    assert differing + shared > 0, "the mistake never changes the answer on the drawn inputs"
    assert named >= differing / 2, (named, differing)


def _within_diagnosis_tolerance(answer: object, expected: object) -> bool:
    """Whether the answer equals the reference within the diagnosis's own tolerance (LOOSE, 1e-9)."""
    import numpy as np

    from grader.checking.diagnosis import LOOSE

    def leaves(value: object) -> list[object]:
        if isinstance(value, (tuple, list)):
            return [leaf for item in value for leaf in leaves(item)]
        return [np.asarray(value, dtype=np.float64)]

    mine, right = leaves(answer), leaves(expected)
    return len(mine) == len(right) and all(
        a.size == b.size and np.allclose(a.ravel(), b.ravel(), rtol=LOOSE, atol=1e-9)
        for a, b in zip(mine, right, strict=True)
    )


def _made_by_another(exercise: Exercise, mistake: Mistake, inputs: dict[str, object], answer: object) -> bool:
    """Whether a declared mistake of another name gives the same answer on these inputs."""
    import numpy as np

    def leaves(value: object) -> list[object]:
        if isinstance(value, (tuple, list)):
            return [leaf for item in value for leaf in leaves(item)]
        return [np.asarray(value, dtype=np.float64)]

    mine = leaves(answer)
    for other in exercise.mistakes:
        if other.diagnosis == mistake.diagnosis:
            continue
        try:
            with np.errstate(all="ignore"):
                theirs = leaves(_answer(exercise, inputs, other.answer))
        except ValueError:
            continue
        if len(theirs) == len(mine) and all(
            a.size == b.size and np.allclose(a.ravel(), b.ravel(), rtol=1e-9, atol=1e-12)
            for a, b in zip(mine, theirs, strict=True)
        ):
            return True
    return False


def test_a_tie_on_the_degenerate_minimal_input_is_broken_by_the_other_failing_inputs() -> None:
    """At z = 0, 1 - s(z) equals s(z): the minimal input alone names the wrong mistake."""
    import numpy as np

    [exercise] = [e for e in all_exercises() if e.name == "sigmoid_prime"]

    def one_minus_s(z: object) -> object:
        return 1 - 1 / (1 + np.exp(-np.asarray(z, dtype=np.float64)))

    def failing(z: list[float]) -> Case:
        inputs: dict[str, object] = {"z": np.array(z)}
        return _case(exercise, inputs, _as_returned(_answer(exercise, inputs, one_minus_s)))

    minimal = failing([0.0])
    alone = diagnose(minimal)
    assert alone is not None and alone.name == "wrong-variable"  # s(z), declared first
    witnesses: list[Case] = []
    for z in ([0.0], [0.0], [1.5, -2.0], [0.25], [3.0], [-1.0]):
        keep_witness(witnesses, failing(z))
    assert [list(c.inputs["z"]) for c in witnesses] == [[0.0], [1.5, -2.0], [0.25], [3.0]]
    found = diagnose(minimal, *witnesses)
    assert found is not None and found.name == "wrong-rule", found


def test_a_passing_input_rules_out_a_mistake_that_explains_only_a_special_input() -> None:
    """`if z == 1: return (I, ones)` is "dy/dz = z ones" (and the swap) at z = 1 only: an input
    that passes (z = 2, answered right) rules them out; a sign (a generic change) never is."""
    import numpy as np

    [exercise] = [e for e in all_exercises() if e.name == "jac_scalar_mul"]

    def shortcut(x: object, z: float) -> object:
        n = len(np.asarray(x))
        return (np.eye(n), np.ones(n)) if z == 1 else (z * np.eye(n), np.array(x, dtype=float))

    def graded(x: list[float], z: float, compute: Callable[..., object]) -> Case:
        inputs: dict[str, object] = {"x": np.array(x), "z": z}
        return _case(exercise, inputs, _as_returned(_answer(exercise, inputs, compute)))

    failing = graded([2.0, -3.0], 1.0, shortcut)
    passing = [graded([2.0, -3.0], 2.0, shortcut), graded([0.5], -1.5, shortcut)]
    named = diagnose(failing)
    assert named is not None and named.name == "wrong-variable"  # the one input alone
    assert diagnose(failing, passing=passing) is None

    def negated(x: object, z: float) -> object:
        return tuple(-np.asarray(v) for v in exercise.reference(x, z))

    sign = diagnose(graded([2.0, -3.0], 1.5, negated), passing=passing)
    assert sign is not None and sign.name == "sign"
