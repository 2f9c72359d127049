"""Calibration of predicted probabilities: top-label ECE, the multiclass Brier score and the
reliability-diagram bins, with stratified bootstrap intervals.

ECE uses equal-width bins of the predicted class's probability (confidence):
Σ_bins |Σ confidence − Σ correct| / n.

>>> probabilities = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.3, 0.7]])
>>> section = calibration_section(np.array([0, 1, 1, 1]), probabilities, n_bins=10, n_resamples=0)
>>> round(section["ece"]["value"], 3)  # |0.9-1| + |0.6-0| + |0.8-1| + |0.7-1|, over 4
0.3
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchmark.stats import headline_cells
from benchmark.weighted_bootstrap import MAX_ITEM_UNITS, Statistic, Units, cells, per_cell_mean
from benchmark.weighted_bootstrap import intervals as bootstrap_intervals

FINE_BINS = 100  # confidence sub-bins per reported bin in the cell bootstrap


def are_probabilities(matrix: np.ndarray) -> bool:
    return bool((matrix >= 0).all() and np.allclose(matrix.sum(axis=1), 1.0, atol=1e-6))


def _statistic(
    top: np.ndarray, correct: np.ndarray, brier: np.ndarray, bins: np.ndarray
) -> Statistic:
    """ECE and Brier of units with these confidences, correctness, Brier terms and bins."""
    order = np.argsort(bins, kind="stable")
    starts = np.flatnonzero(np.r_[True, bins[order][1:] != bins[order][:-1]])

    def per_bin(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(weights[:, order] * values[order], starts, axis=1)

    def statistic(weights: np.ndarray) -> dict[str, np.ndarray]:
        total = weights.sum(axis=1)
        gap = np.abs(per_bin(weights, top) - per_bin(weights, correct)).sum(axis=1)
        return {"ece": gap / total, "brier": (weights * brier).sum(axis=1) / total}

    return statistic


def calibration_section(
    gold: np.ndarray,
    probabilities: np.ndarray,
    *,
    n_bins: int = 10,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, Any]:
    """``{"ece": cell, "brier": cell, "bins": [...]}`` for rows of class probabilities."""
    predicted = probabilities.argmax(axis=1)
    top = probabilities[np.arange(gold.size), predicted]
    correct = (predicted == gold).astype(float)
    brier = ((probabilities - np.eye(probabilities.shape[1])[gold]) ** 2).sum(axis=1)
    bins = np.minimum((top * n_bins).astype(np.int64), n_bins - 1)
    exact = _statistic(top, correct, brier, bins)
    point = {k: float(v[0]) for k, v in exact(np.ones((1, gold.size))).items()}
    if gold.size <= MAX_ITEM_UNITS:
        statistic, units = exact, Units.items(gold)
    else:
        # cells: gold class × correct × a fine confidence bin nested in the reported bins
        fine = np.minimum((top * n_bins * FINE_BINS).astype(np.int64), n_bins * FINE_BINS - 1)
        cell_of_item, units = cells(gold, fine * 2 + correct.astype(np.int64))
        statistic = _statistic(
            per_cell_mean(top, cell_of_item, units),
            per_cell_mean(correct, cell_of_item, units),
            per_cell_mean(brier, cell_of_item, units),
            per_cell_mean(bins, cell_of_item, units).round().astype(np.int64),
        )
    interval = bootstrap_intervals(
        point, statistic, units, n_resamples=n_resamples, confidence=confidence, seed=seed
    )
    cells_out = headline_cells(point, interval)
    counts = np.bincount(bins, minlength=n_bins)
    confidence_sums = np.bincount(bins, weights=top, minlength=n_bins)
    correct_sums = np.bincount(bins, weights=correct, minlength=n_bins)
    return {
        "ece": cells_out["ece"],
        "brier": cells_out["brier"],
        "n_bins": n_bins,
        "bins": [
            {
                "low": b / n_bins,
                "high": (b + 1) / n_bins,
                "count": int(counts[b]),
                "confidence": float(confidence_sums[b] / counts[b]),
                "accuracy": float(correct_sums[b] / counts[b]),
            }
            for b in np.flatnonzero(counts).tolist()
        ],
    }
