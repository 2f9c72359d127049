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
from benchmark.weighted_bootstrap import point_and_interval


def are_probabilities(matrix: np.ndarray) -> bool:
    return bool((matrix >= 0).all() and np.allclose(matrix.sum(axis=1), 1.0, atol=1e-6))


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
    order = np.argsort(bins, kind="stable")
    starts = np.flatnonzero(np.r_[True, bins[order][1:] != bins[order][:-1]])

    def per_bin(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(weights[:, order] * values[order], starts, axis=1)

    def statistic(weights: np.ndarray) -> dict[str, np.ndarray]:
        total = weights.sum(axis=1)
        gap = np.abs(per_bin(weights, top) - per_bin(weights, correct)).sum(axis=1)
        return {"ece": gap / total, "brier": (weights * brier).sum(axis=1) / total}

    point, intervals = point_and_interval(
        statistic, gold, n_resamples=n_resamples, confidence=confidence, seed=seed
    )
    cells = headline_cells(point, intervals)
    ones = np.ones((1, gold.size))
    counts = per_bin(ones, np.ones(gold.size))[0]
    mean_top = per_bin(ones, top)[0] / counts
    accuracy = per_bin(ones, correct)[0] / counts
    used = bins[order][starts]
    return {
        "ece": cells["ece"],
        "brier": cells["brier"],
        "n_bins": n_bins,
        "bins": [
            {
                "low": b / n_bins,
                "high": (b + 1) / n_bins,
                "count": int(counts[i]),
                "confidence": float(mean_top[i]),
                "accuracy": float(accuracy[i]),
            }
            for i, b in enumerate(used.tolist())
        ],
    }
