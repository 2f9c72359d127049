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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmark.bias import bias_section
from benchmark.calibration import are_probabilities, calibration_section
from benchmark.costs import cost_matrix
from benchmark.errors import HiboBenchError
from benchmark.features import BINARY_VIEWS
from benchmark.ranking_metrics import WTR_LEVELS, ranking_section
from benchmark.schema import LabelSchema, load_schema
from benchmark.stats import (
    NO_INTERVAL,
    Interval,
    finite_or_none,
    headline_cells,
    percentile_interval,
)

BASE_METRICS = ("accuracy", "macro_f1")


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int
    intervals: dict[str, Interval] = field(default_factory=dict)  # precision, recall, f1


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
    # result.json sections beyond the headline: cost_matrix, illegal_subtype_recall,
    # binary_views, calibration, slices, bias (each only when its inputs were given)
    sections: dict[str, Any] = field(default_factory=dict)

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
                    **{
                        f"{measure}_{end}": finite_or_none(getattr(interval, end[3:]))
                        for measure, interval in c.intervals.items()
                        for end in ("ci_low", "ci_high")
                    },
                }
                for label, c in self.per_class.items()
            },
            "confusion_matrix": {
                "labels": list(self.labels),
                "rows": "gold",
                "columns": "predicted",
                "matrix": [list(row) for row in self.confusion_matrix],
            },
            **self.sections,
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
    costs: Mapping[str, Mapping[str, Any]] | None = None,
    gold_subtypes: Sequence[Sequence[str]] | None = None,
    slices: Mapping[str, Sequence[Any]] | None = None,
    bias_column: str | None = None,
    wtr_levels: Sequence[float] = WTR_LEVELS,
    calibration_bins: int = 10,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> Scores:
    """Score predictions against gold labels.

    Args:
        y_true: gold labels, as class indices or class ids (``"illegal"`` …).
        y_pred: predicted labels, same forms.
        scores: optional ``(n, n_classes)`` array of class scores in schema order; adds
            the binary views "illegal vs rest" and "actionable vs rest" (ROC-AUC, PR-AUC,
            recall at each wrongful-takedown rate of ``wtr_levels``), the bias metrics and,
            when the rows are probabilities, calibration (ECE, Brier, reliability bins).
        schema: the label schema (default: the packaged one).
        costs: ``{gold: {predicted: cost}}`` for ``cost_weighted_error`` (default
            :data:`benchmark.costs.DEFAULT_COSTS`).
        gold_subtypes: each item's gold illegal subtypes; adds ``illegal_subtype_recall``.
        slices: ``{column: value per item}``; adds headline metrics per value of each column.
        bias_column: the ``slices`` column whose values are the bias subgroups (needs scores).
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

    boot: dict[str, Any] = {"n_resamples": n_resamples, "confidence": confidence, "seed": seed}
    cost = cost_matrix(schema, costs)
    cm, point, intervals, resampled = confusion_scores(gold, pred, schema, cost, **boot)
    per_class = _per_class_scores(cm, resampled, schema, 1.0 - confidence)
    sections: dict[str, Any] = {
        "cost_matrix": {"labels": list(schema.class_ids), "matrix": cost.tolist()}
    }
    if gold_subtypes is not None:
        sections["illegal_subtype_recall"] = subtype_recall(
            gold, pred, gold_subtypes, schema, **boot
        )
    if slices:
        sections["slices"] = {
            column: slice_scores(gold, pred, values, schema, cost, **boot)
            for column, values in slices.items()
        }
    if scores is not None:
        matrix = _checked_scores(scores, gold.size, schema)
        sections.update(
            score_based_sections(
                gold, matrix, schema, wtr_levels=wtr_levels, calibration_bins=calibration_bins,
                bias_groups=(bias_column, slices[bias_column]) if bias_column and slices else None,
                **boot,
            )
        )  # fmt: skip
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
        sections=sections,
    )


def confusion_scores(
    gold: np.ndarray,
    pred: np.ndarray,
    schema: LabelSchema,
    cost: np.ndarray,
    *,
    n_resamples: int,
    confidence: float,
    seed: int,
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, Interval], np.ndarray]:
    """The confusion matrix, the headline metrics, their stratified bootstrap intervals and
    the resampled matrices ``(n_resamples, k, k)``."""
    k = schema.num_classes
    cm = np.bincount(gold * k + pred, minlength=k * k).reshape(k, k)
    present = (cm.sum(axis=0) + cm.sum(axis=1)) > 0
    rates = _rate_indices(schema)
    point = _metrics_from_confusion(cm, present, rates, cost)
    resampled = _bootstrap_confusion(cm, n_resamples, np.random.default_rng(seed))
    distribution = _metrics_from_confusion(resampled, present, rates, cost)
    alpha = 1.0 - confidence
    intervals = {name: percentile_interval(distribution[name], alpha) for name in point}
    return cm, point, intervals, resampled


def _per_class_scores(
    cm: np.ndarray, resampled: np.ndarray, schema: LabelSchema, alpha: float
) -> dict[str, ClassScores]:
    """Precision, recall and F1 of each class with intervals from the same resamples.
    A class never predicted in a resample has precision 0 there (as at the point)."""
    point = _per_class(cm)
    draws = _per_class(resampled)
    names = ("precision", "recall", "f1")
    return {
        label: ClassScores(
            precision=float(point[0][i]),
            recall=float(point[1][i]),
            f1=float(point[2][i]),
            support=int(cm[i].sum()),
            intervals={
                name: percentile_interval(values[:, i], alpha) if resampled.size else NO_INTERVAL
                for name, values in zip(names, draws, strict=True)
            },
        )
        for i, label in enumerate(schema.class_ids)
    }


def slice_scores(
    gold: np.ndarray,
    pred: np.ndarray,
    values: Sequence[Any],
    schema: LabelSchema,
    cost: np.ndarray,
    **boot: Any,
) -> dict[str, dict[str, Any]]:
    """Headline metrics with intervals on the items of each value of a slicing column."""
    column = np.asarray([str(v) for v in values], dtype=object)
    if column.size != gold.size:
        raise HiboBenchError(
            f"a slice column has {column.size} values for {gold.size} items; give one per item."
        )
    out = {}
    for value in sorted(set(column.tolist())):
        inside = column == value
        _, point, intervals, _ = confusion_scores(gold[inside], pred[inside], schema, cost, **boot)
        cells = headline_cells({k: float(v) for k, v in point.items()}, intervals)
        out[value] = {"n": int(inside.sum()), "headline": cells}
    return out


def subtype_recall(
    gold: np.ndarray,
    pred: np.ndarray,
    gold_subtypes: Sequence[Sequence[str]],
    schema: LabelSchema,
    *,
    n_resamples: int,
    confidence: float,
    seed: int,
) -> dict[str, dict[str, Any]]:
    """Recall of ``illegal`` among gold illegal items of each subtype (an item with two
    subtypes counts for both), with a percentile bootstrap interval of the proportion."""
    illegal = schema.str2int("illegal")
    rng = np.random.default_rng(seed)
    alpha = 1.0 - confidence
    out: dict[str, dict[str, Any]] = {}
    for subtype in schema.fields["illegal_subtypes"].value_ids:
        members = np.array(
            [g == illegal and subtype in subs for g, subs in zip(gold, gold_subtypes, strict=True)],
            dtype=bool,
        )
        support = int(members.sum())
        if support == 0:
            out[subtype] = {"recall": None, "ci_low": None, "ci_high": None, "support": 0}
            continue
        recall = float(np.mean(pred[members] == illegal))
        draws = rng.binomial(support, recall, size=n_resamples) / support
        interval = percentile_interval(draws, alpha) if n_resamples else NO_INTERVAL
        out[subtype] = {
            "recall": recall,
            "ci_low": finite_or_none(interval.low),
            "ci_high": finite_or_none(interval.high),
            "support": support,
        }
    return out


def score_based_sections(
    gold: np.ndarray,
    matrix: np.ndarray,
    schema: LabelSchema,
    *,
    wtr_levels: Sequence[float],
    calibration_bins: int,
    bias_groups: tuple[str, Sequence[Any]] | None,
    **boot: Any,
) -> dict[str, Any]:
    """Binary views (ranking metrics), bias by subgroup and calibration from class scores."""
    reference_classes = schema.rates["wrongful_takedown_rate"].gold
    reference = np.isin(gold, [schema.str2int(c) for c in reference_classes])
    views = {}
    for view, classes in BINARY_VIEWS.items():
        columns = [schema.str2int(c) for c in classes]
        positive = np.isin(gold, columns)
        views[view] = ranking_section(
            positive,
            reference & ~positive,
            matrix[:, columns].sum(axis=1),
            strata=gold,
            reference_negatives="+".join(reference_classes),
            wtr_levels=wtr_levels,
            **boot,
        )
    out: dict[str, Any] = {"binary_views": views}
    if bias_groups is not None:
        column, values = bias_groups
        illegal = schema.str2int("illegal")
        out["bias"] = bias_section(
            gold == illegal, matrix[:, illegal], [str(v) for v in values],
            view="illegal", column=column,
        )  # fmt: skip
    if are_probabilities(matrix):
        out["calibration"] = calibration_section(gold, matrix, n_bins=calibration_bins, **boot)
    return out


def _checked_scores(scores: Any, n: int, schema: LabelSchema) -> np.ndarray:
    matrix = np.asarray(scores, dtype=float)
    if matrix.shape != (n, schema.num_classes):
        raise HiboBenchError(
            f"scores must have shape ({n}, {schema.num_classes}) (one column per class in "
            f"the order {list(schema.class_ids)}); got {matrix.shape}."
        )
    if not np.isfinite(matrix).all():
        raise HiboBenchError("scores contain NaN or infinite values; give finite numbers.")
    return matrix


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
    cm: np.ndarray,
    present: np.ndarray,
    rates: dict[str, tuple[list[int], list[int]]],
    cost: np.ndarray | None = None,
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
    if cost is not None:
        out["cost_weighted_error"] = (cm * cost).sum(axis=(-2, -1)) / cm.sum(axis=(-2, -1))
    return out


def _bootstrap_confusion(cm: np.ndarray, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    k = cm.shape[0]
    out = np.zeros((n_resamples, k, k), dtype=np.int64)
    for row in range(k):
        total = int(cm[row].sum())
        if total:
            out[:, row, :] = rng.multinomial(total, cm[row] / total, size=n_resamples)
    return out
