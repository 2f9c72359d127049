"""The cost matrix of the cost-weighted error: what each kind of mistake costs.

Rows are gold classes, columns predicted classes, in schema order. The default encodes the
2020 MIC recommendations' two costliest failures as the heaviest, equal weights:

- **removing legitimate criticism** (gold ``criticism`` → ``illegal``/``harmful``: 5) — the
  over-removal that chills lawful speech on matters of public interest;
- **missing illegal content** (gold ``illegal`` → ``criticism``/``none``: 5) — a rights
  infringement stays up and the victim bears it.

Over-removal of ordinary posts (``none`` → acted on) costs 3: a lawful post removed, but
not speech on a matter of public interest. Treating illegal as merely harmful, or harmful
as illegal, costs 2: the post is acted on, under the wrong procedure (terms of service vs
the law's removal and disclosure processes). Missing harmful content costs 2. Confusing the
two kinds of lawful post (criticism ↔ none) costs 1: the action (leave it up) is right.
``cost_weighted_error`` is the mean cost per item: 0 is perfect, 5 the worst possible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from benchmark.errors import ConfigError
from benchmark.schema import LabelSchema

DEFAULT_COSTS: dict[str, dict[str, float]] = {
    "illegal": {"illegal": 0, "harmful": 2, "criticism": 5, "none": 5},
    "harmful": {"illegal": 2, "harmful": 0, "criticism": 2, "none": 2},
    "criticism": {"illegal": 5, "harmful": 5, "criticism": 0, "none": 1},
    "none": {"illegal": 3, "harmful": 3, "criticism": 1, "none": 0},
}


def cost_matrix(
    schema: LabelSchema, costs: Mapping[str, Mapping[str, Any]] | None = None
) -> np.ndarray:
    """The ``(k, k)`` cost matrix in schema order from ``{gold: {predicted: cost}}``
    (default :data:`DEFAULT_COSTS`); every cell must be given, finite and ≥ 0."""
    costs = DEFAULT_COSTS if costs is None else costs
    classes = list(schema.class_ids)
    where = "scoring.cost_matrix"
    if set(costs) != set(classes):
        raise ConfigError(
            f"{where} has rows {sorted(costs)}; expected one row per gold class {classes}."
        )
    matrix = np.zeros((len(classes), len(classes)))
    for i, gold in enumerate(classes):
        row = costs[gold] or {}
        if set(row) != set(classes):
            raise ConfigError(
                f"{where}.{gold} has columns {sorted(row)}; expected one cost per predicted "
                f"class {classes}."
            )
        for j, predicted in enumerate(classes):
            value = row[predicted]
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not (np.isfinite(value) and value >= 0)
            ):
                raise ConfigError(
                    f"{where}.{gold}.{predicted} is {value!r}; expected a finite number >= 0."
                )
            matrix[i, j] = float(value)
    return matrix
