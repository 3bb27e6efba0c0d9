"""Set `neuron`: the neuron max(0, w.x + b) and a layer (P&H §5; Dhaller's notes §2)."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.exercise import Exercise, FiniteDifference, Mistake
from reference import neuron as ref

SET = "neuron"


def _neuron_inputs() -> Any:
    from grader.exercise import strategies

    return strategies.neuron()


def _layer_inputs() -> Any:
    from grader.exercise import strategies

    return strategies.layer()


def _neuron_pre(w: Any, b: float, x: Any) -> Any:
    return np.array([float(w @ x) + b])


def _layer_pre(W: Any, b_vec: Any, a_prev: Any) -> Any:
    return W @ a_prev + b_vec


def _activation(w: Any, b: float, x: Any) -> float:
    return float(max(0.0, float(w @ x) + b))


def _layer(W: Any, b_vec: Any, a_prev: Any) -> Any:
    return np.maximum(0.0, W @ a_prev + b_vec)


def _neuron_kink() -> list[dict[str, Any]]:
    # z = w.x + b is exactly 0 in float64: small integers.
    return [
        {"w": np.array([0.0]), "b": 0.0, "x": np.array([1.0])},
        {"w": np.array([1.0, 2.0]), "b": -5.0, "x": np.array([3.0, 1.0])},
    ]


def _neuron_at(w: Any, b: float, x: Any, d: float) -> tuple[Any, float]:
    z = float(w @ x) + b
    h = 1.0 if z > 0 else (d if z == 0 else 0.0)
    return (h * x, h)


def _layer_kink() -> list[dict[str, Any]]:
    return [
        {
            "W": np.array([[1.0, 2.0], [3.0, -1.0]]),
            "b_vec": np.array([-5.0, 2.0]),
            "a_prev": np.array([3.0, 1.0]),
        },
    ]


def _layer_at(W: Any, b_vec: Any, a_prev: Any, d: float) -> Any:
    z = W @ a_prev + b_vec
    h = np.where(z > 0, 1.0, np.where(z == 0, d, 0.0))
    return h[:, None] * W


# The answers with a given ReLU mask H (one entry per pre-activation, as `pre_activations`
# lists them): grader/checking/diagnosis.py names an answer right but for the mask of units
# near the kink a wrong mask (a threshold `z > 1e-3`, z rounded, float16).
def _neuron_masked(w: Any, b: float, x: Any, mask: Any) -> float:
    return float(mask[0] * (float(w @ x) + b))


def _neuron_grad_masked(w: Any, b: float, x: Any, mask: Any) -> tuple[Any, float]:
    return (mask[0] * x, float(mask[0]))


def _layer_masked(W: Any, b_vec: Any, a_prev: Any, mask: Any) -> Any:
    return mask * (W @ a_prev + b_vec)


def _layer_jacobian_masked(W: Any, b_vec: Any, a_prev: Any, mask: Any) -> Any:
    return mask[:, None] * W


def _scale_neuron(w: Any, b: float, x: Any) -> list[Any]:
    return [np.abs(w) @ np.abs(x) + abs(b)]


def _scale_layer(W: Any, b_vec: Any, a_prev: Any) -> list[Any]:
    return [np.abs(W) @ np.abs(a_prev) + np.abs(b_vec)]


EXERCISES = (
    Exercise(
        name="neuron",
        set=SET,
        params=("w", "b", "x"),
        task="Return the activation max(0, w . x + b) of one neuron, a float.",
        section="P&H §5; Dhaller's notes §2",
        catalogue=("NA-01", "RD-06"),
        results=("activation",),
        inputs=_neuron_inputs,
        reference=ref.neuron,
        pre_activations=_neuron_pre,
        extra={"masked": _neuron_masked},
        scale=_scale_neuron,
        mistakes=(
            Mistake(
                "missing-mask",
                "max(0, .) is not applied: you returned z = w . x + b",
                lambda w, b, x: float(w @ x) + b,
            ),
            Mistake(
                "chain-rule",
                "the bias is added after the ReLU",
                lambda w, b, x: max(0.0, float(w @ x)) + b,
            ),
        ),
    ),
    Exercise(
        name="neuron_grad",
        set=SET,
        params=("w", "b", "x"),
        task="Return (d act/dw of shape (n,), d act/db a float) for act = max(0, w . x + b).",
        section="P&H §5 (the gradient of the neuron activation)",
        catalogue=("NA-02", "NA-03"),
        results=("d act/dw", "d act/db"),
        inputs=_neuron_inputs,
        reference=ref.neuron_grad,
        pre_activations=_neuron_pre,
        extra={"masked": _neuron_grad_masked},
        primal=_activation,
        primal_name="act = max(0, w . x + b)",
        finite_differences=(FiniteDifference("d act/dw", "w"), FiniteDifference("d act/db", "b")),
        mistakes=(
            Mistake(
                "missing-mask",
                "the ReLU mask is missing: (x, 1) holds only where z > 0",
                lambda w, b, x: (x.copy(), 1.0),
            ),
            Mistake(
                "wrong-variable",
                "d act/dw is H(z) x, not H(z) w",
                lambda w, b, x: ((float(w @ x) + b > 0) * w, float(float(w @ x) + b > 0)),
            ),
        ),
        kink=_neuron_kink,
        kink_reference=_neuron_at,
    ),
    Exercise(
        name="layer_forward",
        set=SET,
        params=("W", "b_vec", "a_prev"),
        task="Return the activations max(0, W @ a_prev + b_vec) of a layer, shape (n_out,) (K6).",
        section="Dhaller's notes §2.3; P&H §5",
        catalogue=("LF-01", "LF-02"),
        results=("a",),
        inputs=_layer_inputs,
        reference=ref.layer_forward,
        pre_activations=_layer_pre,
        extra={"masked": _layer_masked},
        scale=_scale_layer,
        examples=lambda: [
            {
                "W": np.array([[5.0, 2.0], [3.0, 6.0]]),
                "b_vec": np.array([6.0, 6.0]),
                "a_prev": np.array([10.0, 20.0]),
            }
        ],
        mistakes=(
            Mistake(
                "missing-mask",
                "a leaky ReLU: max(0, z) is 0 for every z < 0, not 0.01 z",
                lambda W, b_vec, a_prev: np.where(W @ a_prev + b_vec > 0, 1.0, 0.01) * (W @ a_prev + b_vec),
            ),
            Mistake(
                "transpose",
                "you multiplied by W.T; W has shape (n_out, n_in) and z = W a + b (K6)",
                lambda W, b_vec, a_prev: np.maximum(0.0, W.T @ a_prev + b_vec),
            ),
            Mistake(
                "missing-mask",
                "max(0, .) is not applied",
                lambda W, b_vec, a_prev: W @ a_prev + b_vec,
            ),
            Mistake(
                "chain-rule",
                "the bias is added after the ReLU",
                lambda W, b_vec, a_prev: np.maximum(0.0, W @ a_prev) + b_vec,
            ),
        ),
    ),
    Exercise(
        name="layer_jacobian",
        set=SET,
        params=("W", "b_vec", "a_prev"),
        task="Return the Jacobian d a / d a_prev of a = max(0, W @ a_prev + b_vec), shape (n_out, n_in).",
        section="P&H §4.5.3 (vector chain rule) and §5",
        catalogue=("LF-03",),
        results=("da/da_prev",),
        inputs=_layer_inputs,
        reference=ref.layer_jacobian,
        pre_activations=_layer_pre,
        extra={"masked": _layer_jacobian_masked},
        primal=_layer,
        primal_name="a = max(0, W a_prev + b)",
        # One unit active and one not, so diag(H) W and W diag(H) differ (LF-03); square, where
        # the wrong order runs, and non-square, where it raises: the report shows both.
        examples=lambda: [
            {
                "W": np.array([[1.0, 2.0], [3.0, -1.0]]),
                "b_vec": np.array([0.5, -3.0]),
                "a_prev": np.array([1.0, 1.0]),
            },
            {
                "W": np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 1.0]]),
                "b_vec": np.array([0.5, -3.0, 2.0]),
                "a_prev": np.array([1.0, 1.0]),
            },
        ],
        finite_differences=(FiniteDifference("da/da_prev", "a_prev"),),
        scale=lambda W, b_vec, a_prev: [np.abs(W)],
        mistakes=(
            Mistake(
                "wrong-variable",
                "the mask is taken on the inputs a_prev: H(z) belongs to the outputs' z = W a_prev + b",
                lambda W, b_vec, a_prev: W * (a_prev > 0)[None, :],
            ),
            Mistake(
                "missing-mask",
                "the ReLU mask diag(H(z)) is missing: you returned W",
                lambda W, b_vec, a_prev: W.copy(),
            ),
            Mistake(
                "chain-rule",
                "the factors are in the wrong order: W diag(H(z)) instead of diag(H(z)) W",
                lambda W, b_vec, a_prev: W * ((W @ a_prev + b_vec) > 0)[None, :],
            ),
        ),
        kink=_layer_kink,
        kink_reference=_layer_at,
    ),
)
