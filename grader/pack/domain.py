"""The domain of a pack exercise, read off its declared parameters, as a predicate.

A scalar is a float its `Domain` admits (a custom domain's own `admits` too), a count an int
in its range, a vector or matrix a float64 array whose sides are its named sizes (one value
per size name, inside the size's range) and whose entries its `Domain` admits.  The shrinker
(grader/checking/shrink.py) moves a failing input only to inputs this accepts; the kink's
margin is checked there, from `Exercise.pre_activations`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from grader.pack.declare import Param

__all__ = ["domain_of"]


def _entries(param: Param, value: Any) -> bool:
    import numpy as np

    d = param.domain
    if not (isinstance(value, np.ndarray) and value.dtype == np.float64 and value.ndim == len(param.shape)):
        return False
    if not bool(np.all(np.isfinite(value))):
        return False
    return bool(np.all((value >= d.low) & (value <= d.high) & (np.abs(value) >= d.least)))


def _single(param: Param, value: Any) -> bool:
    d = param.domain
    if param.kind == "count":
        return isinstance(value, int) and not isinstance(value, bool) and d.low <= value <= d.high
    if not (isinstance(value, float) and math.isfinite(value) and d.admits(value)):
        return False
    return d.admits_custom is None or bool(d.admits_custom(value))


def domain_of(params: Sequence[Param]) -> Callable[..., bool]:
    """The predicate of input sets (in parameter order) that `params` admit."""

    def admits(*inputs: Any) -> bool:
        sides: dict[str, int] = {}
        for param, value in zip(params, inputs, strict=True):
            if param.kind in ("scalar", "count"):
                if not _single(param, value):
                    return False
                continue
            if not _entries(param, value):
                return False
            for size, side in zip(param.shape, value.shape, strict=True):
                if not size.low <= side <= size.high or sides.setdefault(size.name, side) != side:
                    return False
        return True

    return admits
