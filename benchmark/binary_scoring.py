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
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmark.errors import HiboBenchError
from benchmark.features import BINARY_VIEWS
from benchmark.ranking_metrics import WTR_LEVELS, ranking_scores
from benchmark.ranking_metrics import curves as ranking_curves
from benchmark.schema import LabelSchema
from benchmark.stats import Interval, headline_cells, percentile_interval


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
    curves: dict[str, Any] = field(default_factory=dict)

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
            **(
                {"curves": self.curves, "reference_negatives": "all negatives"}
                if self.curves
                else {}
            ),
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
    wtr_levels: Sequence[float] = WTR_LEVELS,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> BinaryScores:
    """F1, precision and recall of the positive class, accuracy and, with scores, ROC-AUC,
    PR-AUC and recall at each wrongful-takedown rate of ``wtr_levels`` (every negative counts
    as a post to leave up: binary datasets have no criticism class)."""
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

    cm = np.bincount(gold * 2 + pred, minlength=4).reshape(2, 2)
    rng = np.random.default_rng(seed)
    # stratified bootstrap: each gold row of the matrix is a multinomial draw (see scoring)
    draws = np.zeros((n_resamples, 2, 2), dtype=np.int64)
    for row in (0, 1):
        total = int(cm[row].sum())
        if total:
            draws[:, row] = rng.multinomial(total, cm[row] / total, size=n_resamples)
    point = {k: float(v) for k, v in _metrics(cm).items()}
    alpha = 1.0 - confidence
    intervals = {k: percentile_interval(v, alpha) for k, v in _metrics(draws).items()}
    curves: dict[str, Any] = {}
    if values is not None:
        positive = gold == 1
        ranked, ranked_intervals = ranking_scores(
            positive, ~positive, values, strata=gold, wtr_levels=wtr_levels,
            n_resamples=n_resamples, confidence=confidence, seed=seed,
        )  # fmt: skip
        point.update(ranked)
        intervals.update(ranked_intervals)
        curves = ranking_curves(positive, values)
    return BinaryScores(
        view=view,
        n=int(gold.size),
        metrics=point,
        intervals=intervals,
        confusion_matrix=((int(cm[0, 0]), int(cm[0, 1])), (int(cm[1, 0]), int(cm[1, 1]))),
        confidence=confidence,
        n_resamples=n_resamples,
        seed=seed,
        curves=curves,
    )


def _metrics(cm: np.ndarray) -> dict[str, np.ndarray]:
    """F1, precision, recall of the positive class and accuracy of a 2×2 matrix or a stack."""
    tn, fp = cm[..., 0, 0].astype(float), cm[..., 0, 1].astype(float)
    fn, tp = cm[..., 1, 0].astype(float), cm[..., 1, 1].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "f1": np.where(tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0),
            "precision": np.where(tp + fp > 0, tp / (tp + fp), 0.0),
            "recall": np.where(tp + fn > 0, tp / (tp + fn), 0.0),
            "accuracy": (tp + tn) / (tp + tn + fp + fn),
        }
