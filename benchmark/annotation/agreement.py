"""Inter-annotator agreement: Krippendorff's α with a bootstrap interval, pairwise Cohen's κ,
Fleiss' κ for complete designs, per-category specific agreement, each annotator against the
majority of the others, and character-level F1 for rationale spans.

All functions take ``units``: ``{item_id: {annotator: value}}`` for one field. Values may be
any JSON value; lists are compared as sets (order does not matter).
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from dataclasses import asdict, dataclass
from dataclasses import field as default
from itertools import combinations
from typing import Any

import numpy as np

from benchmark.stats import Interval


def category(value: Any) -> str:
    """A hashable, order-free category for a field value."""
    if isinstance(value, list):
        return json.dumps(
            sorted(json.dumps(v, ensure_ascii=False) for v in value), ensure_ascii=False
        )
    return json.dumps(value, ensure_ascii=False)


def _display(cat: str) -> str:
    value = json.loads(cat)
    if isinstance(value, list):
        return "[" + ", ".join(json.loads(v) for v in value) + "]"
    return str(value)


@dataclass
class FieldAgreement:
    field: str
    n_items: int
    n_annotators: int
    n_annotations: int
    alpha: float
    alpha_ci: Interval
    fleiss_kappa: float | None
    fleiss_n_items: int
    mean_pairwise_kappa: float | None
    pairwise_kappa: dict[str, dict[str, float]] = default(default_factory=dict)
    specific_agreement: dict[str, float] = default(default_factory=dict)
    annotator_vs_majority: dict[str, dict[str, float]] = default(default_factory=dict)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["alpha_ci"] = [self.alpha_ci.low, self.alpha_ci.high]
        return _nan_to_none(out)


def _nan_to_none(value: Any) -> Any:
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _nan_to_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nan_to_none(v) for v in value]
    return value


def value_counts(units: dict[str, dict[str, Any]]) -> tuple[np.ndarray, list[str]]:
    """Units × categories count matrix over items with at least two annotations."""
    cats = sorted({category(v) for ratings in units.values() for v in ratings.values()})
    index = {c: i for i, c in enumerate(cats)}
    rows = [ratings for ratings in units.values() if len(ratings) >= 2]
    counts = np.zeros((len(rows), len(cats)), dtype=np.int64)
    for r, ratings in enumerate(rows):
        for value in ratings.values():
            counts[r, index[category(value)]] += 1
    return counts, cats


def krippendorff_alpha(counts: np.ndarray) -> float:
    """Nominal α from a units × categories count matrix (NaN when undefined, e.g. one category)."""
    import krippendorff

    counts = counts[:, counts.sum(axis=0) > 0]
    if counts.shape[0] == 0 or counts.shape[1] < 2:
        return float("nan")
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = krippendorff.alpha(
            value_counts=counts.astype(float), level_of_measurement="nominal"
        )
    return float(value) if np.isfinite(value) else float("nan")


def bootstrap_alpha(
    counts: np.ndarray, *, n_resamples: int, confidence: float, seed: int
) -> Interval:
    """Percentile interval of α over units resampled with replacement."""
    if counts.shape[0] < 2 or n_resamples == 0:
        return Interval(float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, counts.shape[0], size=(n_resamples, counts.shape[0]))
    values = np.array([krippendorff_alpha(counts[idx]) for idx in draws])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return Interval(float("nan"), float("nan"))
    alpha = 1 - confidence
    low, high = np.quantile(values, [alpha / 2, 1 - alpha / 2])
    return Interval(float(low), float(high))


def fleiss_kappa(counts: np.ndarray) -> float | None:
    """Fleiss' κ; ``None`` unless every unit has the same number of ratings (a complete design)."""
    per_unit = counts.sum(axis=1)
    if counts.shape[0] == 0 or len(set(per_unit.tolist())) != 1:
        return None
    m = int(per_unit[0])
    p_i = ((counts**2).sum(axis=1) - m) / (m * (m - 1))
    p_j = counts.sum(axis=0) / counts.sum()
    p_e = float((p_j**2).sum())
    if p_e == 1.0:
        return float("nan")
    return float((p_i.mean() - p_e) / (1 - p_e))


def specific_agreement(counts: np.ndarray, cats: list[str]) -> dict[str, float]:
    """Per category: of all pairs of ratings that involve the category, the share that agree."""
    n_i = counts.sum(axis=1, keepdims=True)
    agree = (counts * (counts - 1)).sum(axis=0)
    involved = (counts * (n_i - 1)).sum(axis=0)
    return {
        _display(c): float(agree[j] / involved[j]) if involved[j] else float("nan")
        for j, c in enumerate(cats)
    }


def pairwise_kappa(units: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Cohen's κ for every pair of annotators on the items both labelled."""
    from sklearn.metrics import cohen_kappa_score

    annotators = sorted({a for ratings in units.values() for a in ratings})
    out: dict[str, dict[str, float]] = {}
    for a, b in combinations(annotators, 2):
        shared = [r for r in units.values() if a in r and b in r]
        if len(shared) < 2:
            continue
        left = [category(r[a]) for r in shared]
        right = [category(r[b]) for r in shared]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # undefined (like α) when both annotators used a single category throughout
            kappa = (
                float(cohen_kappa_score(left, right))
                if len(set(left + right)) > 1
                else float("nan")
            )
        out[f"{a} × {b}"] = {"kappa": kappa, "n": float(len(shared))}
    return out


def annotator_vs_majority(units: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Each annotator's agreement with the majority of the *other* annotators (ties skipped)."""
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for ratings in units.values():
        for annotator, value in ratings.items():
            others = Counter(category(v) for a, v in ratings.items() if a != annotator)
            if not others:
                continue
            (top, count), *rest = others.most_common()
            if rest and rest[0][1] == count:
                continue
            totals[annotator] += 1
            hits[annotator] += int(category(value) == top)
    return {a: {"agreement": hits[a] / totals[a], "n": float(totals[a])} for a in sorted(totals)}


def field_agreement(
    name: str,
    units: dict[str, dict[str, Any]],
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> FieldAgreement:
    counts, cats = value_counts(units)
    multi = [r for r in units.values() if len(r) >= 2]
    kappas = pairwise_kappa(units)
    finite = [v["kappa"] for v in kappas.values() if np.isfinite(v["kappa"])]
    # Fleiss' κ needs a complete design: use the items rated by the most common number of annotators.
    per_item = counts.sum(axis=1)
    ratings = int(np.bincount(per_item).argmax()) if counts.size else 0
    complete = counts[per_item == ratings]
    fleiss = fleiss_kappa(complete)
    partial = complete.shape[0] < counts.shape[0]
    return FieldAgreement(
        field=name,
        n_items=len(multi),
        n_annotators=len({a for r in multi for a in r}),
        n_annotations=int(counts.sum()),
        alpha=krippendorff_alpha(counts),
        alpha_ci=bootstrap_alpha(counts, n_resamples=n_resamples, confidence=confidence, seed=seed),
        fleiss_kappa=fleiss,
        fleiss_n_items=int(complete.shape[0]),
        mean_pairwise_kappa=float(np.mean(finite)) if finite else None,
        pairwise_kappa=kappas,
        specific_agreement=specific_agreement(counts, cats),
        annotator_vs_majority=annotator_vs_majority(units),
        note=f"Fleiss' κ on the {complete.shape[0]} items rated {ratings} times" if partial else "",
    )


def span_f1(units: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, float]:
    """Pooled character-level F1 of rationale spans over all annotator pairs, per span label."""
    tp: Counter[str] = Counter()
    size: Counter[str] = Counter()
    for ratings in units.values():
        cells = {
            a: {(i, s["label"]) for s in spans for i in range(s["start"], s["end"])}
            for a, spans in ratings.items()
        }
        for a, b in combinations(sorted(cells), 2):
            for label in {lab for _, lab in cells[a] | cells[b]}:
                left = {c for c in cells[a] if c[1] == label}
                right = {c for c in cells[b] if c[1] == label}
                tp[label] += len(left & right)
                size[label] += len(left) + len(right)
    out = {label: 2 * tp[label] / size[label] for label in sorted(size)}
    total = sum(size.values())
    out["all"] = 2 * sum(tp.values()) / total if total else float("nan")
    return out
