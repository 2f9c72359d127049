"""Scoring: a pure function of labels (and optional scores) — no I/O, no tracking.

Every headline metric comes with a seeded, stratified percentile bootstrap interval.
Headline metrics depend only on the confusion matrix, so the bootstrap resamples the
matrix itself: with class counts held fixed (stratified by gold class), resampling the
items of gold class *i* is a multinomial draw over row *i* of the matrix. That is the
same distribution as resampling item indices, at a cost independent of the test size.

>>> s = score(["illegal", "criticism", "none", "criticism"], ["illegal", "harmful", "none", "criticism"])
>>> round(s.wrongful_takedown_rate, 2), s.illegal_miss_rate
(0.5, 0.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmark.errors import HiboBenchError
from benchmark.schema import LabelSchema, load_schema

BASE_METRICS = ("accuracy", "macro_f1")


@dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval."""

    low: float
    high: float

    def contains(self, value: float) -> bool:
        return bool(self.low <= value <= self.high)


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Scores:
    """What :func:`score` returns. Headline metrics are also attributes (``s.macro_f1``)."""

    labels: tuple[str, ...]
    n: int
    metrics: dict[str, float]
    intervals: dict[str, Interval]
    per_class: dict[str, ClassScores]
    confusion_matrix: tuple[tuple[int, ...], ...]
    confidence: float
    n_resamples: int
    seed: int
    score_metrics: dict[str, float] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return self.metrics["accuracy"]

    @property
    def macro_f1(self) -> float:
        return self.metrics["macro_f1"]

    @property
    def wrongful_takedown_rate(self) -> float:
        return self.metrics["wrongful_takedown_rate"]

    @property
    def illegal_miss_rate(self) -> float:
        return self.metrics["illegal_miss_rate"]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; undefined values (NaN) become ``None``."""
        return {
            "n": self.n,
            "headline": headline_cells(self.metrics, self.intervals),
            "per_class": {
                label: {
                    "precision": c.precision,
                    "recall": c.recall,
                    "f1": c.f1,
                    "support": c.support,
                }
                for label, c in self.per_class.items()
            },
            "confusion_matrix": {
                "labels": list(self.labels),
                "rows": "gold",
                "columns": "predicted",
                "matrix": [list(row) for row in self.confusion_matrix],
            },
            "score_metrics": {k: _finite_or_none(v) for k, v in self.score_metrics.items()},
            "bootstrap": {
                "method": "stratified percentile bootstrap (multinomial per gold class)",
                "confidence": self.confidence,
                "n_resamples": self.n_resamples,
                "seed": self.seed,
            },
        }


def score(
    y_true: Sequence[Any] | np.ndarray,
    y_pred: Sequence[Any] | np.ndarray,
    *,
    scores: Any = None,
    schema: LabelSchema | None = None,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> Scores:
    """Score predictions against gold labels.

    Args:
        y_true: gold labels, as class indices or class ids (``"illegal"`` …).
        y_pred: predicted labels, same forms.
        scores: optional ``(n, n_classes)`` array of class scores in schema order; adds
            ``illegal_roc_auc`` (illegal vs rest, ranking by the illegal score) and, for probabilities, ``brier``.
        schema: the label schema (default: the packaged one).
        n_resamples: bootstrap resamples for the confidence intervals (0 disables them).
        confidence: two-sided confidence level of the intervals.
        seed: seed of the bootstrap.

    ``macro_f1`` averages the F1 of the classes present in gold or predictions (as
    scikit-learn's default); the legal-cost rates are defined in the schema's ``rates``.
    """
    schema = schema or load_schema()
    gold = np.asarray(schema.to_indices(y_true, what="y_true"), dtype=np.int64)
    pred = np.asarray(schema.to_indices(y_pred, what="y_pred"), dtype=np.int64)
    if gold.shape != pred.shape:
        raise HiboBenchError(
            f"y_true has {gold.size} labels but y_pred has {pred.size}; give one prediction per item."
        )
    if gold.size == 0:
        raise HiboBenchError("y_true is empty; there is nothing to score.")
    if not 0 < confidence < 1:
        raise HiboBenchError(f"confidence must be between 0 and 1; got {confidence}.")
    if n_resamples < 0:
        raise HiboBenchError(f"n_resamples must be >= 0; got {n_resamples}.")

    k = schema.num_classes
    cm = np.bincount(gold * k + pred, minlength=k * k).reshape(k, k)
    present = (cm.sum(axis=0) + cm.sum(axis=1)) > 0
    rates = _rate_indices(schema)
    point = _metrics_from_confusion(cm, present, rates)

    resampled = _bootstrap_confusion(cm, n_resamples, np.random.default_rng(seed))
    distribution = _metrics_from_confusion(resampled, present, rates)
    alpha = 1.0 - confidence
    intervals = {name: _percentile_interval(distribution[name], alpha) for name in point}

    precision, recall, f1 = _per_class(cm)
    per_class = {
        label: ClassScores(float(precision[i]), float(recall[i]), float(f1[i]), int(cm[i].sum()))
        for i, label in enumerate(schema.class_ids)
    }
    return Scores(
        labels=schema.class_ids,
        n=int(gold.size),
        metrics={name: float(value) for name, value in point.items()},
        intervals=intervals,
        per_class=per_class,
        confusion_matrix=tuple(tuple(int(v) for v in row) for row in cm),
        confidence=confidence,
        n_resamples=n_resamples,
        seed=seed,
        score_metrics=_score_metrics(gold, scores, schema) if scores is not None else {},
    )


def _rate_indices(schema: LabelSchema) -> dict[str, tuple[list[int], list[int]]]:
    return {
        name: ([schema.str2int(c) for c in rate.gold], [schema.str2int(c) for c in rate.predicted])
        for name, rate in schema.rates.items()
    }


def _per_class(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and F1 per class over the last two axes (zero when undefined)."""
    tp = np.diagonal(cm, axis1=-2, axis2=-1).astype(float)
    gold_totals = cm.sum(axis=-1)
    pred_totals = cm.sum(axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(pred_totals > 0, tp / pred_totals, 0.0)
        recall = np.where(gold_totals > 0, tp / gold_totals, 0.0)
        denominator = gold_totals + pred_totals
        f1 = np.where(denominator > 0, 2 * tp / denominator, 0.0)
    return precision, recall, f1


def _metrics_from_confusion(
    cm: np.ndarray, present: np.ndarray, rates: dict[str, tuple[list[int], list[int]]]
) -> dict[str, np.ndarray]:
    """Headline metrics of one matrix ``(k, k)`` or a stack of them ``(b, k, k)``."""
    tp = np.diagonal(cm, axis1=-2, axis2=-1)
    _, _, f1 = _per_class(cm)
    out = {
        "accuracy": tp.sum(axis=-1) / cm.sum(axis=(-2, -1)),
        "macro_f1": f1[..., present].mean(axis=-1),
    }
    for name, (gold_rows, pred_cols) in rates.items():
        rows = cm[..., gold_rows, :]
        hits = rows[..., pred_cols].sum(axis=(-2, -1))
        totals = rows.sum(axis=(-2, -1))
        with np.errstate(divide="ignore", invalid="ignore"):
            out[name] = np.where(totals > 0, hits / np.maximum(totals, 1), np.nan)
    return out


def _bootstrap_confusion(cm: np.ndarray, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    k = cm.shape[0]
    out = np.zeros((n_resamples, k, k), dtype=np.int64)
    for row in range(k):
        total = int(cm[row].sum())
        if total:
            out[:, row, :] = rng.multinomial(total, cm[row] / total, size=n_resamples)
    return out


def _percentile_interval(values: np.ndarray, alpha: float) -> Interval:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return Interval(float("nan"), float("nan"))
    low, high = np.quantile(finite, [alpha / 2, 1 - alpha / 2])
    return Interval(float(low), float(high))


def _score_metrics(gold: np.ndarray, scores: Any, schema: LabelSchema) -> dict[str, float]:
    matrix = np.asarray(scores, dtype=float)
    if matrix.shape != (gold.size, schema.num_classes):
        raise HiboBenchError(
            f"scores must have shape ({gold.size}, {schema.num_classes}) (one column per class in "
            f"the order {list(schema.class_ids)}); got {matrix.shape}."
        )
    if not np.isfinite(matrix).all():
        raise HiboBenchError("scores contain NaN or infinite values; give finite numbers.")
    illegal, _ = _rate_indices(schema)[
        "illegal_miss_rate"
    ]  # the gold classes that count as illegal
    out = {"illegal_roc_auc": roc_auc(np.isin(gold, illegal), matrix[:, illegal].sum(axis=1))}
    if (matrix >= 0).all() and np.allclose(matrix.sum(axis=1), 1.0, atol=1e-6):
        onehot = np.eye(schema.num_classes)[gold]
        out["brier"] = float(((matrix - onehot) ** 2).sum(axis=1).mean())
    return out


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


def headline_cells(
    metrics: dict[str, float], intervals: dict[str, Interval]
) -> dict[str, dict[str, float | None]]:
    """``{metric: {value, ci_low, ci_high}}`` for result.json (undefined values become None)."""
    return {
        name: {
            "value": _finite_or_none(value),
            "ci_low": _finite_or_none(intervals[name].low),
            "ci_high": _finite_or_none(intervals[name].high),
        }
        for name, value in metrics.items()
    }


def _finite_or_none(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def paired_macro_f1_difference(
    y_true: Sequence[Any] | np.ndarray,
    pred_a: Sequence[Any] | np.ndarray,
    pred_b: Sequence[Any] | np.ndarray,
    *,
    schema: LabelSchema | None = None,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, float]:
    """Macro-F1 of two prediction sets on the same items and a paired interval for A − B.

    Resamples items within each gold class (as :func:`score`) and scores both systems on the
    same resampled items: a multinomial draw over the joint (prediction A, prediction B) cells.
    """
    schema = schema or load_schema()
    k = schema.num_classes
    gold = np.asarray(schema.to_indices(y_true, what="y_true"), dtype=np.int64)
    a = np.asarray(schema.to_indices(pred_a, what="pred_a"), dtype=np.int64)
    b = np.asarray(schema.to_indices(pred_b, what="pred_b"), dtype=np.int64)
    joint = np.bincount((gold * k + a) * k + b, minlength=k**3).reshape(k, k, k)
    cm_a, cm_b = joint.sum(axis=2), joint.sum(axis=1)
    present_a = (cm_a.sum(axis=0) + cm_a.sum(axis=1)) > 0
    present_b = (cm_b.sum(axis=0) + cm_b.sum(axis=1)) > 0
    rates = _rate_indices(schema)
    f1_a = float(_metrics_from_confusion(cm_a, present_a, rates)["macro_f1"])
    f1_b = float(_metrics_from_confusion(cm_b, present_b, rates)["macro_f1"])
    rng = np.random.default_rng(seed)
    draws = np.zeros((n_resamples, k, k, k), dtype=np.int64)
    for row in range(k):
        total = int(joint[row].sum())
        if total:
            cells = rng.multinomial(total, joint[row].ravel() / total, size=n_resamples)
            draws[:, row] = cells.reshape(n_resamples, k, k)
    diff = (
        _metrics_from_confusion(draws.sum(axis=3), present_a, rates)["macro_f1"]
        - _metrics_from_confusion(draws.sum(axis=2), present_b, rates)["macro_f1"]
    )
    interval = _percentile_interval(diff, 1 - confidence)
    return {
        "macro_f1_a": f1_a,
        "macro_f1_b": f1_b,
        "difference": f1_a - f1_b,
        "ci_low": interval.low,
        "ci_high": interval.high,
    }
