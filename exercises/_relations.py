"""Identities shared by several sets: structural facts about Jacobians of element-wise maps."""

from __future__ import annotations

import numpy as np

from grader.checking import Relation, leaf_pairs
from grader.exercise import Case, Verdict


def off_diagonal_zero(*labels: str) -> Relation:
    """The Jacobian of an element-wise map is diagonal (P&H §4.2, the diagonal condition)."""

    def test(case: Case) -> Verdict | None:
        problems = []
        for label, _expected, leaf in leaf_pairs(case):
            if labels and label not in labels:
                continue
            if leaf is None or leaf.values.ndim != 2 or leaf.values.shape[0] != leaf.values.shape[1]:
                continue  # the shape identity reports it
            off = leaf.values.copy()
            np.fill_diagonal(off, 0.0)
            if np.any(off != 0):
                i, j = np.unravel_index(int(np.argmax(np.abs(off))), off.shape)
                problems.append(f"{label}[{i}, {j}] = {leaf.values[i, j]:.6g}, off the diagonal")
        if not problems:
            return None
        return Verdict(
            message="an element-wise map has a diagonal Jacobian: " + "; ".join(problems),
            expected="zeros off the diagonal",
            got=[leaf.values.tolist() for _, _, leaf in leaf_pairs(case) if leaf is not None],
        )

    return Relation(name="off-diagonal entries are zero (element-wise map, P&H §4.2)", test=test)
