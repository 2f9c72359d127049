"""Perspective-style unintended-bias metrics by subgroup (Borkan et al. 2019).

For a subgroup (e.g. posts whose target is a ``company``) and the rest (background):

- **subgroup AUC**: AUC on the subgroup's items only — can the model rank within it?
- **BPSN AUC** (background positive, subgroup negative): low when the model scores the
  subgroup's lawful posts above the background's illegal ones — over-removal aimed at posts
  about that subgroup;
- **BNSP AUC** (background negative, subgroup positive): low when the subgroup's illegal
  posts score below the background's lawful ones — the subgroup is under-protected.

>>> positive = np.array([1, 0, 1, 0], dtype=bool)
>>> section = bias_section(positive, np.array([0.9, 0.8, 0.4, 0.1]), ["a", "a", "b", "b"],
...                        view="illegal", column="target_type")
>>> section["subgroups"]["a"]["bpsn_auc"]  # a's negative (0.8) outscores b's positive (0.4)
0.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from benchmark.stats import finite_or_none, roc_auc


def bias_section(
    positive: np.ndarray,
    values: np.ndarray,
    subgroups: Sequence[str],
    *,
    view: str,
    column: str,
) -> dict[str, Any]:
    """Subgroup, BPSN and BNSP AUC of the positive-class score for every subgroup value."""
    groups = np.asarray(subgroups, dtype=object)
    out = {}
    for value in sorted(set(groups.tolist())):
        inside = groups == value
        bpsn = (~inside & positive) | (inside & ~positive)
        bnsp = (inside & positive) | (~inside & ~positive)
        out[str(value)] = {
            "n": int(inside.sum()),
            "n_positive": int((inside & positive).sum()),
            "subgroup_auc": finite_or_none(roc_auc(positive[inside], values[inside])),
            "bpsn_auc": finite_or_none(roc_auc(positive[bpsn], values[bpsn])),
            "bnsp_auc": finite_or_none(roc_auc(positive[bnsp], values[bnsp])),
        }
    return {"view": view, "subgroup_column": column, "subgroups": out}
