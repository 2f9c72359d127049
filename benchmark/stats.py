"""Small statistical building blocks shared by every scorer: intervals, result cells, AUC."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval."""

    low: float
    high: float

    def contains(self, value: float) -> bool:
        return bool(self.low <= value <= self.high)


NO_INTERVAL = Interval(float("nan"), float("nan"))


def percentile_interval(values: np.ndarray, alpha: float) -> Interval:
    """The central ``1 - alpha`` percentile interval of the finite values (NaN if none)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return NO_INTERVAL
    low, high = np.quantile(finite, [alpha / 2, 1 - alpha / 2])
    return Interval(float(low), float(high))


def finite_or_none(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def headline_cells(
    metrics: dict[str, float], intervals: dict[str, Interval]
) -> dict[str, dict[str, float | None]]:
    """``{metric: {value, ci_low, ci_high}}`` for result.json (undefined values become None)."""
    return {
        name: {
            "value": finite_or_none(value),
            "ci_low": finite_or_none(intervals.get(name, NO_INTERVAL).low),
            "ci_high": finite_or_none(intervals.get(name, NO_INTERVAL).high),
        }
        for name, value in metrics.items()
    }


def roc_auc(positive: np.ndarray, values: np.ndarray) -> float:
    """Area under the ROC curve via average ranks (ties count one half); NaN if one class."""
    positive = np.asarray(positive, dtype=bool)
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    average_rank = np.cumsum(counts) - (counts - 1) / 2.0
    ranks = average_rank[inverse]
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))
