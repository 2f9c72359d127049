"""Metrics of a positive-class score: ROC-AUC, PR-AUC and recall at a fixed
wrongful-takedown rate, each with a stratified bootstrap interval.

*Recall at a wrongful-takedown rate r*: the platform picks the lowest threshold at which at
most a share r of the **reference negatives** — the lawful posts it must leave up — would be
removed (every item scoring at or above the threshold is removed), and we report the share
of positives removed at that threshold. On four-way data the reference negatives are the
gold ``criticism`` items (as in the headline wrongful-takedown rate); binary datasets have
no criticism class, so there every negative stands in.

>>> positive = np.array([1, 1, 0, 0, 1], dtype=bool)
>>> values = np.array([0.9, 0.8, 0.7, 0.3, 0.2])
>>> m, _ = ranking_scores(positive, ~positive, values, strata=positive.astype(int), n_resamples=0)
>>> round(m["roc_auc"], 3), round(m["pr_auc"], 3), round(m["recall_at_wtr_5pct"], 3)
(0.667, 0.867, 0.667)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from benchmark.stats import Interval, headline_cells
from benchmark.weighted_bootstrap import (
    MAX_ITEM_UNITS,
    SortedGroups,
    Statistic,
    Units,
    cells,
)
from benchmark.weighted_bootstrap import intervals as bootstrap_intervals

WTR_LEVELS = (0.01, 0.05)
CURVE_POINTS = 201
SCORE_BINS = 2048  # score quantile bins of the cell bootstrap on large data


def wtr_metric_name(level: float) -> str:
    return f"recall_at_wtr_{round(level * 100):g}pct"


def ranking_scores(
    positive: np.ndarray,
    reference_negative: np.ndarray,
    values: np.ndarray,
    *,
    strata: np.ndarray,
    wtr_levels: Sequence[float] = WTR_LEVELS,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[dict[str, float], dict[str, Interval]]:
    """Point values and intervals of ``roc_auc``, ``pr_auc`` and ``recall_at_wtr_<r>pct``.

    ``positive`` and ``reference_negative`` are boolean masks over items (a reference
    negative must not be positive); ``strata`` holds each item's gold class for the
    stratified resampling. Undefined values (no positives or negatives) are NaN.
    """
    values = np.asarray(values, dtype=float)
    exact = _statistic(values, positive, reference_negative, wtr_levels)
    point = {k: float(v[0]) for k, v in exact(np.ones((1, values.size))).items()}
    if values.size <= MAX_ITEM_UNITS:
        statistic, units = exact, Units.items(strata)
    else:
        statistic, units = _binned(values, positive, reference_negative, strata, wtr_levels)
    return point, bootstrap_intervals(
        point, statistic, units, n_resamples=n_resamples, confidence=confidence, seed=seed
    )


def _statistic(
    values: np.ndarray, positive: np.ndarray, reference: np.ndarray, wtr_levels: Sequence[float]
) -> Statistic:
    groups = SortedGroups(values)
    negative = ~positive

    def statistic(weights: np.ndarray) -> dict[str, np.ndarray]:
        pos = groups.sums(weights, positive)
        neg = groups.sums(weights, negative)
        ref = groups.sums(weights, reference)
        return {
            "roc_auc": _auc(pos, neg),
            "pr_auc": _average_precision(pos, neg),
            **{wtr_metric_name(r): _recall_at_rate(pos, ref, r) for r in wtr_levels},
        }

    return statistic


def _binned(
    values: np.ndarray,
    positive: np.ndarray,
    reference: np.ndarray,
    strata: np.ndarray,
    wtr_levels: Sequence[float],
) -> tuple[Statistic, Units]:
    """The statistic over cells of (gold class, positive, reference, score quantile bin)."""
    edges = np.quantile(values, np.linspace(0, 1, SCORE_BINS + 1)[1:-1])
    score_bin = np.searchsorted(edges, values, side="right")  # tied scores share a bin
    key = (score_bin * 2 + positive) * 2 + reference
    cell_of_item, units = cells(strata, key)
    cell_key = np.bincount(cell_of_item, weights=key) / units.counts
    cell_bin = (cell_key // 4).astype(float)
    cell_positive = (cell_key // 2 % 2).astype(bool)
    cell_reference = (cell_key % 2).astype(bool)
    return _statistic(cell_bin, cell_positive, cell_reference, wtr_levels), units


def _auc(pos: np.ndarray, neg: np.ndarray) -> np.ndarray:
    """Probability that a positive outscores a negative (ties count one half)."""
    total_pos, total_neg = pos.sum(axis=1), neg.sum(axis=1)
    below = total_neg[:, None] - np.cumsum(neg, axis=1)  # negatives scoring lower
    wins = (pos * (below + 0.5 * neg)).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((total_pos > 0) & (total_neg > 0), wins / (total_pos * total_neg), np.nan)


def _average_precision(pos: np.ndarray, neg: np.ndarray) -> np.ndarray:
    """Σ (recall gained at a threshold) × precision at it — scikit-learn's definition."""
    tp, fp = np.cumsum(pos, axis=1), np.cumsum(neg, axis=1)
    total_pos = pos.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        return np.where(total_pos > 0, (pos * precision).sum(axis=1) / total_pos, np.nan)


def _recall_at_rate(pos: np.ndarray, ref: np.ndarray, rate: float) -> np.ndarray:
    total_pos, total_ref = pos.sum(axis=1), ref.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        removed_share = np.cumsum(ref, axis=1) / total_ref[:, None]
        recall = np.cumsum(pos, axis=1) / total_pos[:, None]
    allowed = removed_share <= rate + 1e-12
    # thresholds are nested, so the allowed ones form a prefix; take its last
    count = allowed.sum(axis=1)
    last = np.take_along_axis(recall, np.maximum(count - 1, 0)[:, None], axis=1)[:, 0]
    out = np.where(count > 0, last, 0.0)
    return np.where((total_pos > 0) & (total_ref > 0), out, np.nan)


def curves(positive: np.ndarray, values: np.ndarray) -> dict[str, dict[str, list[float]]]:
    """PR and ROC curves (at most ``CURVE_POINTS`` points each) for plots."""
    groups = SortedGroups(np.asarray(values, dtype=float))
    ones = np.ones((1, positive.size))
    tp = np.cumsum(groups.sums(ones, positive)[0])
    fp = np.cumsum(groups.sums(ones, ~positive)[0])
    if tp[-1] == 0 or fp[-1] == 0:
        return {}
    keep = np.unique(np.linspace(0, tp.size - 1, min(CURVE_POINTS, tp.size)).round().astype(int))
    tp, fp = tp[keep], fp[keep]
    return {
        "pr": {"recall": _rounded(tp / tp[-1]), "precision": _rounded(tp / (tp + fp))},
        "roc": {"fpr": _rounded(np.r_[0.0, fp / fp[-1]]), "tpr": _rounded(np.r_[0.0, tp / tp[-1]])},
    }


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 5) for v in values]


def ranking_section(
    positive: np.ndarray,
    reference_negative: np.ndarray,
    values: np.ndarray,
    *,
    strata: np.ndarray,
    reference_negatives: str,
    **bootstrap: Any,
) -> dict[str, Any]:
    """The result.json section of one binary view: headline cells, curves and counts."""
    point, intervals = ranking_scores(
        positive, reference_negative, values, strata=strata, **bootstrap
    )
    return {
        "headline": headline_cells(point, intervals),
        "curves": curves(positive, values),
        "n_positive": int(positive.sum()),
        "n_reference_negative": int(reference_negative.sum()),
        "reference_negatives": reference_negatives,
    }
