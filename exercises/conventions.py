"""What a student must know besides the task: the inputs of each exercise and its conventions.

The conventions K1-K14 of the exercise contract (docs/exercises.md, generated from this
module and the sets by `python -m exercises.contract`), worded for the student and never
giving an answer away; `conventions_of` says which apply to an exercise, `inputs_of`
describes its parameters and their domain (K11), `returns_of` the shapes of its results,
`SOURCES` says what the short names of the sections ("P&H §5", "Dhaller's notes §2") stand
for.  Starter files, `grade list` and the contract read them; nothing here imports numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.exercise import Exercise

__all__ = [
    "CONTAINERS",
    "CONVENTIONS",
    "EVERYWHERE",
    "FORMULAS",
    "SOURCES",
    "conventions_of",
    "inputs_of",
    "returns_of",
    "set_notes",
    "set_title",
    "sources_text",
]

# The sources a section cites, by the short name the sections and hints use (spec/catalogue.md §0).
SOURCES = {
    "P&H": 'T. Parr and J. Howard, "The Matrix Calculus You Need For Deep Learning" (arXiv:1802.01528)',
    "Dhaller's notes": 'A. Dhaller\'s handwritten notes, "The complete Matrix calculus for Machine '
    'Learning and Deep Learning"',
    "Nielsen": 'M. Nielsen, "Neural Networks and Deep Learning"',
}

CONVENTIONS = {
    "K1": "Numerator layout: the Jacobian of f: R^n -> R^m has shape (m, n), "
    "entry (i, j) = d f_i / d x_j (one row per output, one column per input).",
    "K2": "Vectors are 1-D arrays of shape (n,); a gradient has the shape of its variable "
    "(a matrix's gradient has the matrix's shape); the derivative of a vector by a scalar "
    "is a vector of shape (m,); a derivative of a scalar by a scalar is a float.  The right "
    "values in another shape, such as (n, 1) for (n,), fail the shape identity and only that one.",
    "K3": "ReLU is max(0, z) and its derivative is H(z) = 1 if z > 0 else 0; at exactly "
    "z = 0 any value in [0, 1] is accepted, and the report says which one was used.",
    "K4": "Element-wise Jacobians are full (n, n) matrices, not their diagonals.",
    "K5": "Data matrices hold one example per row: X has shape (N, n), y has shape (N,).",
    "K6": "A layer's W has shape (n_out, n_in) and z = W @ a_prev + b, b of shape (n_out,).",
    "K7": "The error is prediction minus target: e_i = w . x_i + b - y_i.",
    "K8": "mse_loss is normalised by 1/N (Parr & Howard), mse_grad_half by 1/(2N) (Dhaller's notes).",
    "K9": "Every layer uses the sigmoid s(z) = 1/(1 + exp(-z)); one example's cost is "
    "C = 1/2 sum_j (a^L_j - y_j)^2 and a batch's cost is the mean over its examples.",
    "K10": "Several results are returned as a tuple, in the order given.",
    "K11": "Inputs are drawn inside the domain stated, magnitudes up to about 10 unless "
    "stated otherwise; never where the derivative does not exist, except at the ReLU kink "
    "to test K3: no pre-activation lies within 1e-6 of 0 otherwise (along every step of "
    "gd_step and sgd_epoch too), and no two arguments of max tie.",
    "K12": "Inputs are your own copies: a function may modify its arguments without harm.",
    "K13": "A count is compared exactly; an integral float such as 8334.0 is accepted.",
    "K14": "Answers are compared with a tolerance that accepts any correct float64 computation, "
    "and float32 wherever float32 rounding allows; a failure explained by float32 rounding "
    "alone is reported as `precision`, not as a mistake in the mathematics.",
}

# The conventions that hold for every exercise, so that no exercise lists them.
EVERYWHERE = ("K11", "K12", "K14")

# What a result may come as (K2 says which shape it must have).
CONTAINERS = (
    "A result is accepted in any container (a list, a tuple, a numpy array or scalar, float32 "
    "or float64) as long as it converts to a real array of the stated shape."
)

# How an exercise declared by a formula (Exercise.symbolic) may be answered.
FORMULAS = (
    "An exercise of the sets `scalar` and `jacobians` (all but `jacobian_identity`, whose size "
    "varies) may be answered with a formula instead of a function: a string or a sympy "
    'expression for a scalar (`d_ln_x2 = "2/x"`), a list of them for a vector, a list of lists '
    'for a matrix, with plain numbers for constant entries (`[[2, "3*y**2"], [-13, "exp(y)"]]`).  '
    "Formulas use the exercise's own variable names (x, y) and Python/sympy syntax: `+ - * / **`, "
    "`^` as a power, parentheses, numbers, `sin cos tan cot sec csc asin acos atan sinh cosh tanh "
    "exp log ln sqrt abs sigmoid` (`arcsin arccos arctan` are `asin acos atan`; `log` and `ln` are "
    "both the natural logarithm; `sigmoid(t)` is 1/(1 + exp(-t))), `E` or `exp(1)`, `pi`.  "
    "A formula is checked on the same inputs as a "
    "function, then compared with the reference by sympy; it is never run as Python code."
)

# What a set's exercises share beyond their parameters: its notation.
_NOTES = {
    "elementwise": "Each exercise but jac_relu returns a pair of Jacobians (K4, K10).",
    "neuron": "z = w . x + b for one neuron, z = W @ a_prev + b_vec for a layer (K6).",
    "loss": "x_i is row i of X (K5) and z_i = w . x_i + b.",
    "backprop": "Layers l = 1..L with L = 1..3 and n_l = 1..6; a^0 = x, z^l = W^l a^(l-1) + b^l, "
    "a^l = s(z^l) (K9).  Ws and bs are lists of arrays, Ws[l-1] = W^l.  So that the sigmoid "
    "does not saturate and hide mistakes, weights and biases lie in [-2, 2], inputs x in "
    "[-3, 3], targets y in [0, 1].",
}

# The shape of each result, in the order of `Exercise.results` (K2, K10).
_FLOAT_RESULT = "a float"
_RETURNS: dict[str, tuple[str, ...]] = {
    "grad_3x2y": ("shape (2,)",),
    "grad_x2_cos_y": ("shape (2,)",),
    "jacobian_3x2y_2x_y8": ("shape (2, 2)",),
    "jacobian_2x_y3": ("shape (2, 2)",),
    "jacobian_sin_ln": ("shape (2, 2)",),
    "jacobian_identity": ("shape (n, n)",),
    "d_ln_x2_sin_3x": ("shape (2,)",),
    "jac_add": ("shape (n, n)", "shape (n, n)"),
    "jac_sub": ("shape (n, n)", "shape (n, n)"),
    "jac_mul": ("shape (n, n)", "shape (n, n)"),
    "jac_div": ("shape (n, n)", "shape (n, n)"),
    "jac_max": ("shape (n, n)", "shape (n, n)"),
    "jac_relu": ("shape (n, n)",),
    "jac_scalar_add": ("shape (n, n)", "shape (n,)"),
    "jac_scalar_mul": ("shape (n, n)", "shape (n,)"),
    "grad_sum": ("shape (n,)",),
    "grad_sum_xz": ("shape (n,)", _FLOAT_RESULT),
    "grad_dot": ("shape (n,)", "shape (n,)"),
    "vector_chain": ("shape (m, n)",),
    "neuron": (_FLOAT_RESULT,),
    "neuron_grad": ("shape (n,)", _FLOAT_RESULT),
    "layer_forward": ("shape (n_out,)",),
    "layer_jacobian": ("shape (n_out, n_in)",),
    "mse_loss": (_FLOAT_RESULT,),
    "mse_grad": ("shape (n,)", _FLOAT_RESULT),
    "mse_grad_half": ("shape (n,)", _FLOAT_RESULT),
    "gd_step": ("shape (n,)", _FLOAT_RESULT),
    "num_minibatches": ("an int",),
    "sgd_epoch": ("shape (n,)", _FLOAT_RESULT),
    "sigmoid_prime": ("shape (n,), the shape of z",),
    "delta_output": ("shape (n_L,)",),
    "delta_hidden": ("shape (n_l,), the shape of z",),
    "layer_grads": ("shape (n_l, n_(l-1))", "shape (n_l,)"),
    "backprop": (
        "a list of L arrays, dWs[l-1] of the shape of Ws[l-1]",
        "a list of L arrays, dbs[l-1] of the shape of bs[l-1]",
    ),
    "backprop_batch": (
        "a list of L arrays, dWs[l-1] of the shape of Ws[l-1]",
        "a list of L arrays, dbs[l-1] of the shape of bs[l-1]",
    ),
}

_BY_SET = {
    "scalar": ("K2",),
    "jacobians": ("K1", "K2"),
    "elementwise": ("K1", "K2", "K4", "K10"),
    "reductions": ("K2", "K10"),
    "neuron": ("K2", "K3", "K10"),
    "loss": ("K2", "K3", "K5", "K7", "K8", "K10"),
    "backprop": ("K2", "K6", "K9", "K10"),
}

_BY_NAME = {
    "grad_3x2y": ("K2",),
    "grad_x2_cos_y": ("K2",),
    "jac_max": ("K1", "K2", "K4", "K10", "K11"),
    "jac_relu": ("K1", "K3", "K4"),
    "grad_sum": ("K2",),
    "vector_chain": ("K1",),
    "neuron": ("K2",),
    "layer_forward": ("K2", "K6"),
    "layer_jacobian": ("K1", "K3", "K6"),
    "mse_loss": ("K5", "K8"),
    "gd_step": ("K3", "K5", "K7", "K8", "K10"),
    "num_minibatches": ("K13",),
    "sgd_epoch": ("K3", "K5", "K7", "K8", "K10"),
    "sigmoid_prime": ("K2", "K9"),
    "delta_output": ("K2", "K9"),
    "delta_hidden": ("K2", "K6", "K9"),
    "layer_grads": ("K2", "K6", "K10"),
    "backprop_batch": ("K5", "K6", "K9", "K10"),
}

_FLOAT = "a float, magnitude up to about 10"
_VECTOR = "shape (n,), n = 1..6"

_PARAMS: dict[str, dict[str, str]] = {
    "scalar": {"x": _FLOAT},
    "jacobians": {"x": _FLOAT, "y": _FLOAT},
    "elementwise": {"w": _VECTOR, "x": _VECTOR, "z": "a float"},
    "reductions": {
        "x": _VECTOR,
        "w": _VECTOR,
        "z": "a float",
        "J_f": "shape (m, k), df/dg at g(x)",
        "J_g": "shape (k, n), dg/dx",
    },
    "neuron": {
        "w": _VECTOR,
        "b": "a float",
        "x": _VECTOR,
        "W": "shape (n_out, n_in), n_out, n_in = 1..6",
        "b_vec": "shape (n_out,)",
        "a_prev": "shape (n_in,)",
    },
    "loss": {
        "w": _VECTOR,
        "b": "a float",
        "X": "shape (N, n), N = 1..20",
        "y": "shape (N,)",
        "lr": "a float, 0 < lr <= 0.1",
        "batch_size": "an int, 1..N",
        "m": "an int, 1..10,000,000",
    },
    "backprop": {
        "z": "shape (n,), n = 1..6, entries up to 38 in magnitude (a z^l of the set's networks)",
        "z_L": "shape (n_L,), entries up to 38 in magnitude (a z^L of the set's networks)",
        "y": "shape (n_L,), entries in [0, 1]",
        "W_next": "shape (n_(l+1), n_l), W^(l+1)",
        "delta_next": "shape (n_(l+1),), delta^(l+1)",
        "delta": "shape (n_l,)",
        "a_prev": "shape (n_(l-1),)",
        "Ws": "a list of L = 1..3 arrays, Ws[l-1] of shape (n_l, n_(l-1)), entries in [-2, 2]",
        "bs": "a list of L arrays, bs[l-1] of shape (n_l,), entries in [-2, 2]",
        "x": "shape (n_0,), entries in [-3, 3]",
        "X": "shape (B, n_0), one example per row",
        "Y": "shape (B, n_L), entries in [0, 1]",
    },
}

# Domains narrower than the set's (K11).
_DOMAINS = {
    "d_ln_x2": "abs(x) >= 0.1",
    "d_ln_sin_x3_sq": "abs(sin(x^3)) >= 0.1 and abs(x) <= 3",
    "jacobian_3x2y_2x_y8": "abs(y) <= 3",
    "jacobian_sin_ln": "y >= 0.1",
    "d_ln_x2_sin_3x": "abs(x) >= 0.1",
    "jac_div": "abs(x_i) >= 0.1",
    "jac_max": "no ties: abs(w_i - x_i) >= 1e-3",
}

_SPECIAL = {
    ("jacobian_identity", "x"): _VECTOR,
    ("num_minibatches", "batch_size"): "an int, 1..m",
}


def conventions_of(exercise: Exercise) -> tuple[str, ...]:
    """The K-numbers of the conventions that apply to `exercise`, in order."""
    if "pack" in exercise.extra:
        return tuple(exercise.extra["pack"].conventions)
    found = _BY_NAME.get(exercise.name) or _BY_SET.get(exercise.set, ("K2",))
    if len(exercise.results) < 2:
        found = tuple(k for k in found if k != "K10")
    return found


def inputs_of(exercise: Exercise) -> list[str]:
    """One line per parameter ("x: a float"), then the domain when it is narrower."""
    if "pack" in exercise.extra:
        return list(exercise.extra["pack"].inputs)
    described = _PARAMS.get(exercise.set, {})
    lines = []
    for param in exercise.params:
        text = _SPECIAL.get((exercise.name, param)) or described.get(param)
        lines.append(f"{param}: {text}" if text else param)
    domain = _DOMAINS.get(exercise.name)
    if domain:
        lines.append(f"domain: {domain}")
    return lines


def returns_of(exercise: Exercise) -> list[str]:
    """One line per result, in order, with its shape: "dC/dw: shape (n,)".

    The scalar set's derivatives are floats; every other exercise names its shapes in
    `_RETURNS` (a test checks them against the reference's answers).
    """
    shapes = _RETURNS.get(exercise.name)
    if "pack" in exercise.extra:
        shapes = tuple(exercise.extra["pack"].returns)
    if shapes is None and exercise.set == "scalar":
        shapes = (_FLOAT_RESULT,) * len(exercise.results)
    if shapes is None or len(shapes) != len(exercise.results):
        raise LookupError(f"exercises.conventions has no shapes for the results of {exercise.name}")
    return [f"{result}: {shape}" for result, shape in zip(exercise.results, shapes, strict=True)]


def set_notes(name: str) -> str:
    """The notation set `name` shares across its exercises, or "" when it has none."""
    return _NOTES.get(name, "")


def sources_text() -> str:
    """One sentence saying what each short name of a section stands for."""
    cited = "; ".join(f"{short} = {full}" for short, full in SOURCES.items())
    return f"Sources of the sections: {cited}."


def set_title(name: str) -> str:
    """What set `name` is about: its module docstring's first line, after "Set `name`: "."""
    from grader.pack.registry import pack_title

    title = pack_title(name)
    if title is not None:
        return title
    doc = importlib.import_module(f"exercises.{name}").__doc__ or ""
    first = doc.strip().splitlines()[0].rstrip(".") if doc.strip() else name
    return first.partition(": ")[2] or first
