"""Paired comparison of systems scored on the same items: which differences are real?

For every pair of systems: each metric's difference with a paired, stratified bootstrap
interval (both systems scored on the same resampled items — a multinomial draw over the
joint (gold, prediction A, prediction B) cells of each gold class), its two-sided
bootstrap p-value, and McNemar's exact test on per-item correctness. With three or more
systems the p-values are Holm-corrected over all pairs, and systems are ranked with ties:
a system's rank is 1 + the number of systems significantly better on the ranking metric
(both the bootstrap and McNemar's test reject after Holm correction), so systems that cannot be told apart share a rank (a **tie group**) instead of being
ordered by noise. Pure functions, no I/O: :mod:`benchmark.cli_compare` reads the runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from scipy.stats import binom

from benchmark.binary_scoring import _metrics as binary_metrics
from benchmark.errors import HiboBenchError
from benchmark.schema import LabelSchema, load_schema
from benchmark.scoring import _metrics_from_confusion, _rate_indices
from benchmark.stats import finite_or_none, percentile_interval

LOWER_IS_BETTER = {"wrongful_takedown_rate", "illegal_miss_rate", "cost_weighted_error"}

# metrics of a confusion matrix or a stack of them, given the classes that count as present
MetricsOfConfusion = Callable[[np.ndarray, np.ndarray], dict[str, np.ndarray]]


@dataclass(frozen=True)
class System:
    """One system's predictions as class indices over the shared items."""

    name: str
    predicted: np.ndarray


def four_way_metrics(schema: LabelSchema, cost: np.ndarray | None) -> MetricsOfConfusion:
    rates = _rate_indices(schema)

    def metrics(cm: np.ndarray, present: np.ndarray) -> dict[str, np.ndarray]:
        return _metrics_from_confusion(cm, present, rates, cost)

    return metrics


def binary_metrics_of_confusion(cm: np.ndarray, present: np.ndarray) -> dict[str, np.ndarray]:
    return binary_metrics(cm)


def mcnemar_exact(correct_a: np.ndarray, correct_b: np.ndarray) -> dict[str, Any]:
    """Exact two-sided McNemar test: among items exactly one system gets right, is each
    system equally likely to be the one? ``b``: only A right; ``c``: only B right."""
    b = int(np.sum(correct_a & ~correct_b))
    c = int(np.sum(~correct_a & correct_b))
    p = 1.0 if b + c == 0 else min(1.0, 2.0 * float(binom.cdf(min(b, c), b + c, 0.5)))
    return {"only_a_right": b, "only_b_right": c, "p_value": p}


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values (step-down, monotone, capped at 1)."""
    order = np.argsort(p_values, kind="stable")
    m = len(p_values)
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted.tolist()


def paired_differences(
    gold: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    k: int,
    metrics: MetricsOfConfusion,
    *,
    n_resamples: int,
    confidence: float,
    seed: int,
) -> dict[str, dict[str, float | None]]:
    """``{metric: {a, b, difference, ci_low, ci_high, p_value}}`` for A − B."""
    joint = np.bincount((gold * k + a) * k + b, minlength=k**3).reshape(k, k, k)
    cm_a, cm_b = joint.sum(axis=2), joint.sum(axis=1)
    # as in score(): macro-F1 averages the classes present in gold or the system's predictions
    present_a = (cm_a.sum(axis=0) + cm_a.sum(axis=1)) > 0
    present_b = (cm_b.sum(axis=0) + cm_b.sum(axis=1)) > 0
    point_a, point_b = metrics(cm_a, present_a), metrics(cm_b, present_b)
    rng = np.random.default_rng(seed)
    draws = np.zeros((n_resamples, k, k, k), dtype=np.int64)
    for row in range(k):
        total = int(joint[row].sum())
        if total:
            cells = rng.multinomial(total, joint[row].ravel() / total, size=n_resamples)
            draws[:, row] = cells.reshape(n_resamples, k, k)
    dist_a = metrics(draws.sum(axis=3), present_a)
    dist_b = metrics(draws.sum(axis=2), present_b)
    out = {}
    for name in point_a:
        diff = dist_a[name] - dist_b[name]
        diff = diff[np.isfinite(diff)]
        interval = percentile_interval(diff, 1 - confidence)
        p = _bootstrap_p_value(diff) if diff.size else float("nan")
        out[name] = {
            "a": finite_or_none(float(point_a[name])),
            "b": finite_or_none(float(point_b[name])),
            "difference": finite_or_none(float(point_a[name] - point_b[name])),
            "ci_low": finite_or_none(interval.low),
            "ci_high": finite_or_none(interval.high),
            "p_value": finite_or_none(p),
        }
    return out


def _bootstrap_p_value(diff: np.ndarray) -> float:
    """Two-sided p-value of "no difference": twice the share of resamples on the far side
    of zero, counted as (1 + count) / (1 + resamples) so that it is never exactly 0."""
    far_side = min(int(np.sum(diff <= 0)), int(np.sum(diff >= 0)))
    return min(1.0, 2 * (1 + far_side) / (1 + diff.size))


def compare_systems(
    gold: np.ndarray,
    systems: Sequence[System],
    k: int,
    metrics: MetricsOfConfusion,
    *,
    rank_by: str,
    level: float = 0.05,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, Any]:
    """Every pair's paired differences and McNemar test, Holm-corrected, and tie groups."""
    if len(systems) < 2:
        raise HiboBenchError("compare needs at least two results.")
    names = [s.name for s in systems]
    if len(set(names)) != len(names):
        raise HiboBenchError(
            f"two results have the same model name ({names}); give distinct names with --names."
        )
    pairs: list[dict[str, Any]] = []
    for x, y in combinations(systems, 2):
        differences = paired_differences(
            gold, x.predicted, y.predicted, k, metrics,
            n_resamples=n_resamples, confidence=confidence, seed=seed,
        )  # fmt: skip
        if rank_by not in differences:
            raise HiboBenchError(
                f"cannot rank by {rank_by!r}; choose one of {sorted(differences)}."
            )
        pairs.append(
            {
                "a": x.name,
                "b": y.name,
                "metrics": differences,
                "mcnemar": mcnemar_exact(x.predicted == gold, y.predicted == gold),
            }
        )
    raw_p = {
        "mcnemar": [pair["mcnemar"]["p_value"] for pair in pairs],
        "rank_metric": [pair["metrics"][rank_by]["p_value"] for pair in pairs],
    }
    for key, values in raw_p.items():
        adjusted = holm([1.0 if p is None else p for p in values])
        for pair, value in zip(pairs, adjusted, strict=True):
            pair[f"{key}_p_holm"] = value
    points = {s.name: _point(pairs, s.name, rank_by) for s in systems}
    ranks = _ranks(names, pairs, rank_by, level)
    return {
        "rank_by": rank_by,
        "level": level,
        "n_items": int(gold.size),
        "pairs": pairs,
        "ranking": sorted(
            ({"rank": ranks[name], "system": name, rank_by: points[name]} for name in names),
            key=lambda row: (row["rank"], _sort_key(row[rank_by], rank_by)),
        ),
        "tie_groups": _tie_groups(ranks),
    }


def _point(pairs: list[dict[str, Any]], name: str, metric: str) -> float | None:
    for pair in pairs:
        if pair["a"] == name:
            return pair["metrics"][metric]["a"]
        if pair["b"] == name:
            return pair["metrics"][metric]["b"]
    return None


def _sort_key(value: float | None, metric: str) -> float:
    if value is None:
        return float("inf")
    return value if metric in LOWER_IS_BETTER else -value


def _ranks(
    names: list[str], pairs: list[dict[str, Any]], metric: str, level: float
) -> dict[str, int]:
    """1 + the number of systems significantly better at ``level``: both the paired bootstrap
    of the metric and McNemar's exact test must reject after Holm correction. The exact test
    guards against the bootstrap's over-confidence when few items are discordant."""
    better: dict[str, int] = dict.fromkeys(names, 0)
    for pair in pairs:
        difference = pair["metrics"][metric]["difference"]
        separated = pair["rank_metric_p_holm"] < level and pair["mcnemar_p_holm"] < level
        if difference is None or difference == 0 or not separated:
            continue
        a_better = (difference < 0) if metric in LOWER_IS_BETTER else (difference > 0)
        better[pair["b"] if a_better else pair["a"]] += 1
    return {name: 1 + count for name, count in better.items()}


def _tie_groups(ranks: dict[str, int]) -> list[dict[str, Any]]:
    groups: dict[int, list[str]] = {}
    for name, rank in ranks.items():
        groups.setdefault(rank, []).append(name)
    return [{"rank": rank, "systems": sorted(groups[rank])} for rank in sorted(groups)]


def paired_macro_f1_difference(
    y_true: Sequence[Any] | np.ndarray,
    pred_a: Sequence[Any] | np.ndarray,
    pred_b: Sequence[Any] | np.ndarray,
    *,
    schema: LabelSchema | None = None,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, float | None]:
    """Macro-F1 of two prediction sets on the same items and a paired interval for A − B."""
    schema = schema or load_schema()
    gold, a, b = (
        np.asarray(schema.to_indices(values, what=what), dtype=np.int64)
        for values, what in ((y_true, "y_true"), (pred_a, "pred_a"), (pred_b, "pred_b"))
    )
    cell = paired_differences(
        gold, a, b, schema.num_classes, four_way_metrics(schema, None),
        n_resamples=n_resamples, confidence=confidence, seed=seed,
    )["macro_f1"]  # fmt: skip
    return {
        "macro_f1_a": cell["a"],
        "macro_f1_b": cell["b"],
        "difference": cell["difference"],
        "ci_low": cell["ci_low"],
        "ci_high": cell["ci_high"],
    }
