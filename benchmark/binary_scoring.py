"""Scoring for binary datasets (court decisions: infringing or not; toxicity: toxic or not).

A four-way prediction is read through the dataset's binary view (``benchmark.features``):
positive when the predicted class is one of the view's classes, and the positive score is
the summed probability of those classes. Pure functions, no I/O.

>>> s = score_binary([1, 0, 1, 0], [1, 0, 0, 0], positive_scores=[0.9, 0.2, 0.4, 0.1])
>>> s.metrics["f1"], s.metrics["roc_auc"]
(0.6666666666666666, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmark.errors import HiboBenchError
from benchmark.features import BINARY_VIEWS
from benchmark.schema import LabelSchema
from benchmark.scoring import Interval, _percentile_interval, headline_cells, roc_auc


@dataclass(frozen=True)
class BinaryScores:
    view: str
    n: int
    metrics: dict[str, float]
    intervals: dict[str, Interval]
    confusion_matrix: tuple[tuple[int, int], tuple[int, int]]
    confidence: float
    n_resamples: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "binary_view": self.view,
            "headline": headline_cells(self.metrics, self.intervals),
            "confusion_matrix": {
                "labels": [f"not_{self.view}", self.view],
                "rows": "gold",
                "columns": "predicted",
                "matrix": [list(row) for row in self.confusion_matrix],
            },
            "bootstrap": {
                "method": "stratified percentile bootstrap (resampling items within each gold class)",
                "confidence": self.confidence,
                "n_resamples": self.n_resamples,
                "seed": self.seed,
            },
        }


def four_way_to_binary(
    predicted: np.ndarray, probabilities: np.ndarray | None, view: str, schema: LabelSchema
) -> tuple[np.ndarray, np.ndarray | None]:
    """Binary predictions (and positive scores) of a four-way classifier under ``view``."""
    positive = [schema.str2int(c) for c in BINARY_VIEWS[view]]
    binary = np.isin(predicted, positive).astype(np.int64)
    scores = None if probabilities is None else np.asarray(probabilities)[:, positive].sum(axis=1)
    return binary, scores


def score_binary(
    y_true: Sequence[int] | np.ndarray,
    y_pred: Sequence[int] | np.ndarray,
    *,
    positive_scores: Sequence[float] | np.ndarray | None = None,
    view: str = "illegal",
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> BinaryScores:
    """F1, precision and recall of the positive class, accuracy and (with scores) ROC-AUC."""
    gold = np.asarray(y_true, dtype=np.int64)
    pred = np.asarray(y_pred, dtype=np.int64)
    if gold.shape != pred.shape or gold.size == 0:
        raise HiboBenchError(
            f"y_true has {gold.size} labels and y_pred {pred.size}; give one prediction per item."
        )
    if not set(np.unique(np.concatenate([gold, pred]))) <= {0, 1}:
        raise HiboBenchError("binary labels must be 0 (negative) or 1 (positive).")
    values = None if positive_scores is None else np.asarray(positive_scores, dtype=float)
    if values is not None and (values.shape != gold.shape or not np.isfinite(values).all()):
        raise HiboBenchError("positive_scores must be finite, one per item.")

    rng = np.random.default_rng(seed)
    # stratified resampling: indices drawn within each gold class, class sizes held fixed
    groups = [np.flatnonzero(gold == c) for c in (0, 1)]
    draws = [rng.choice(g, size=(n_resamples, g.size)) for g in groups if g.size]
    resampled = np.concatenate(draws, axis=1) if draws else np.empty((0, 0), dtype=np.int64)
    point = _metrics(gold, pred, values)
    distribution = [
        _metrics(gold[idx], pred[idx], None if values is None else values[idx]) for idx in resampled
    ]
    alpha = 1.0 - confidence
    intervals = {
        name: _percentile_interval(np.array([d[name] for d in distribution], dtype=float), alpha)
        for name in point
    }
    cm = np.bincount(gold * 2 + pred, minlength=4).reshape(2, 2)
    return BinaryScores(
        view=view,
        n=int(gold.size),
        metrics=point,
        intervals=intervals,
        confusion_matrix=((int(cm[0, 0]), int(cm[0, 1])), (int(cm[1, 0]), int(cm[1, 1]))),
        confidence=confidence,
        n_resamples=n_resamples,
        seed=seed,
    )


def _metrics(gold: np.ndarray, pred: np.ndarray, values: np.ndarray | None) -> dict[str, float]:
    tp = float(np.sum((gold == 1) & (pred == 1)))
    fp = float(np.sum((gold == 0) & (pred == 1)))
    fn = float(np.sum((gold == 1) & (pred == 0)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    out = {
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0,
        "precision": precision,
        "recall": recall,
        "accuracy": float(np.mean(gold == pred)),
    }
    if values is not None:
        out["roc_auc"] = roc_auc(gold == 1, values)
    return out
