"""The one comparison: explicit tolerances, float32 allowance, and a helpful mismatch."""

from __future__ import annotations

import numpy as np

from grader.checking import compare


def test_equal_arrays_pass():
    """Identical values compare equal."""
    assert compare(np.arange(4.0), np.arange(4.0)).ok


def test_a_wrong_entry_is_located_and_counted():
    """The mismatch counts the wrong elements and shows the worst as index | got | expected."""
    result = compare(np.array([1.0, 2.0, 3.5]), np.array([1.0, 2.0, 3.0]))
    assert not result.ok
    assert result.mismatched == 1 and result.total == 3
    assert result.worst[0] == ((2,), 3.5, 3.0)
    assert "mismatched elements 1 / 3" in result.message("dC/dw")


def test_float32_rounding_passes_only_for_float32_answers():
    """A float32-sized error passes when the student computed in float32, not in float64."""
    expected = np.array([1000.0])
    got = np.array([1000.0 + 1000.0 * 2e-7])
    assert compare(got, expected, dtype="float32").ok
    assert not compare(got, expected, dtype="float64").ok


def test_the_error_scale_absorbs_cancellation_in_float32():
    """With S = sum of |terms|, a float32 result of a cancelling sum still passes."""
    expected = np.array([1e-3])
    got = np.array([1e-3 + 5e-5])
    assert not compare(got, expected, dtype="float32").ok
    assert compare(got, expected, dtype="float32", scale=np.array([1e3])).ok


def test_nan_never_passes():
    """NaN in the answer fails and is called out."""
    result = compare(np.array([np.nan]), np.array([1.0]))
    assert not result.ok and result.nonfinite
    assert "nan" in result.message()


def test_counts_compare_exactly():
    """exact=True accepts an integral float and rejects an off-by-one."""
    assert compare(np.array(8334.0), np.array(8334.0), exact=True).ok
    assert not compare(np.array(8333.0), np.array(8334.0), exact=True).ok
