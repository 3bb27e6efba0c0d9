"""The input strategies: arrays drawn together keep their shapes, ranges and shrinking."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings

from grader.exercise import strategies

AWAY = strategies.elements(min_magnitude=0.5)
WEIGHT = strategies.elements(min_value=-2, max_value=2)


def _layout(rows: int, columns: int) -> dict[str, Any]:
    return {"W": ((rows, columns), WEIGHT), "x": ((columns,), AWAY), "y": ((rows,), None)}


@settings(max_examples=200, database=None, deadline=None, derandomize=True)
@given(strategies.shaped(_layout, sides=2, scalars=(("z", strategies.floats()),)))
def test_shaped_draws_each_array_in_its_shape_and_range(inputs: dict[str, Any]) -> None:
    """Each array of a shaped input set has the sides of its layout and entries in its range."""
    W, x, y = inputs["W"], inputs["x"], inputs["y"]
    rows, columns = W.shape
    assert 1 <= rows <= 6 and 1 <= columns <= 6
    assert x.shape == (columns,) and y.shape == (rows,)
    assert all(a.dtype == np.float64 for a in (W, x, y))
    assert np.all(np.abs(W) <= 2)
    assert np.all(np.abs(x) >= 0.5) and np.all(np.abs(x) <= 10)
    assert np.all(np.abs(y) <= 10)
    assert isinstance(inputs["z"], float) and -10 <= inputs["z"] <= 10


def test_arrays_split_one_byte_string_in_order_each_with_its_elements() -> None:
    """Two bytes an entry, the arrays one after the other, each decoded by its own Elements."""
    codes = np.array([0, 1, 2, 3, 4, 5, 0, 1, 2, 3], dtype=">u2")
    data = codes.tobytes()
    sizes: list[int] = []

    def draw(strategy: Any) -> bytes:  # stands for Hypothesis's draw of the one byte string
        sizes.append(len(data))
        return data

    first, second = strategies.arrays(draw, ((2, 3), None), ((4,), AWAY))
    assert sizes == [20]
    np.testing.assert_array_equal(first, [[0.0, 1.0, -1.0], [2.0, -2.0, 3.0]])
    np.testing.assert_array_equal(second, AWAY.decode(data[12:]))
    assert second[1] == 1.0 and second[2] == -1.0  # small integers where the range allows
    assert np.all(np.abs(second) >= 0.5)


def test_a_minimal_input_set_is_the_smallest_sizes_and_small_integers() -> None:
    """Hypothesis shrinks the shared bytes towards 0: sides of 1 and entries 0 where allowed."""
    from hypothesis import find

    found = find(strategies.shaped(_layout, sides=2), lambda inputs: True)
    assert found["W"].shape == (1, 1) and found["y"].shape == (1,)
    assert found["W"][0, 0] == 0.0 and found["y"][0] == 0.0
    assert abs(found["x"][0]) == 0.5  # the smallest magnitude allowed


def test_network_and_regression_keep_their_domains() -> None:
    """Networks and regressions are drawn inside their domains, whatever the draw."""
    @settings(max_examples=100, database=None, deadline=None, derandomize=True)
    @given(strategies.network(batch=8), strategies.regression(with_lr=True))
    def check(network: dict[str, Any], regression: dict[str, Any]) -> None:
        Ws, bs, X, Y = network["Ws"], network["bs"], network["X"], network["Y"]
        assert 1 <= len(Ws) == len(bs) <= 3
        for k, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            assert b.shape == (W.shape[0],) and np.all(np.abs(W) <= 2) and np.all(np.abs(b) <= 2)
            if k:
                assert W.shape[1] == Ws[k - 1].shape[0]
        assert X.shape == (Y.shape[0], Ws[0].shape[1]) and Y.shape[1] == Ws[-1].shape[0]
        assert 1 <= X.shape[0] <= 8 and np.all(np.abs(X) <= 3) and np.all((Y >= 0) & (Y <= 1))
        w, b, Xr = regression["w"], regression["b"], regression["X"]
        assert Xr.shape == (regression["y"].shape[0], w.shape[0])
        assert np.all(np.abs(Xr @ w + b) >= strategies.MARGIN)  # away from the ReLU kink (K11)
        assert 1e-4 <= regression["lr"] <= 0.1

    check()
