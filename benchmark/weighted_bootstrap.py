"""Bootstrap for metrics that need scores, not just the confusion matrix.

ROC-AUC, PR-AUC, recall at a fixed wrongful-takedown rate and calibration depend on every
item's score, so the confusion-matrix trick of :mod:`benchmark.scoring` does not apply.
Instead each resample is a weight vector — how often each unit was drawn — and every metric
is written as weighted sums over units sorted once. Resampling is stratified like the
headline metrics: the items of each gold class are drawn from that class only, so class
sizes stay fixed.

A unit is an item, or — above :data:`MAX_ITEM_UNITS` items — a **cell** of items that agree
on everything the metric looks at up to a fine binning of the score (e.g. 2,048 score
quantiles). Drawing items within a class and counting them per cell is a multinomial over
the class's cells, so resampling cells is the item bootstrap of the binned metric, at a
cost independent of the number of items. The binned metric differs from the exact one only
by ties within a bin; intervals are shifted by that difference at the point estimate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from benchmark.stats import NO_INTERVAL, Interval, percentile_interval

MAX_ITEM_UNITS = 5_000  # above this many items, resample cells instead of items
CHUNK_CELLS = 4_000_000  # weights held at once: resamples per chunk × units

Statistic = Callable[[np.ndarray], dict[str, np.ndarray]]  # weights (b, units) → {name: (b,)}


@dataclass(frozen=True)
class Units:
    """What the bootstrap resamples: each unit's stratum and how many items it stands for."""

    strata: np.ndarray
    counts: np.ndarray

    @classmethod
    def items(cls, strata: np.ndarray) -> Units:
        return cls(np.asarray(strata), np.ones(len(strata), dtype=np.int64))


def cells(strata: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, Units]:
    """Group items with equal (stratum, key): each item's cell index and the cells as units."""
    combined = np.asarray(strata, dtype=np.int64) * (int(key.max()) + 1) + key
    unique, cell_of_item, counts = np.unique(combined, return_inverse=True, return_counts=True)
    return cell_of_item, Units(unique // (int(key.max()) + 1), counts)


def per_cell_mean(values: np.ndarray, cell_of_item: np.ndarray, units: Units) -> np.ndarray:
    return np.bincount(cell_of_item, weights=values, minlength=units.counts.size) / units.counts


def stratified_weights(units: Units, n_resamples: int, seed: int) -> Iterator[np.ndarray]:
    """Chunks ``(b, units)`` of bootstrap weights: within each stratum, as many items as it
    holds are drawn with replacement and counted per unit."""
    rng = np.random.default_rng(seed)
    n = units.counts.size
    groups = [np.flatnonzero(units.strata == s) for s in np.unique(units.strata)]
    per_chunk = max(1, CHUNK_CELLS // max(n, 1))
    done = 0
    while done < n_resamples:
        b = min(per_chunk, n_resamples - done)
        weights = np.zeros((b, n))
        for members in groups:
            weights[:, members] = _draw(rng, units.counts[members], b)
        done += b
        yield weights


def _draw(rng: np.random.Generator, counts: np.ndarray, b: int) -> np.ndarray:
    total, size = int(counts.sum()), counts.size
    if np.all(counts == 1):
        # uniform over items: integer draws counted per row beat a many-category multinomial
        picks = rng.integers(0, size, size=(b, total)) + (np.arange(b) * size)[:, None]
        return np.bincount(picks.ravel(), minlength=b * size).reshape(b, size)
    return rng.multinomial(total, counts / total, size=b)


def intervals(
    point: dict[str, float],
    statistic: Statistic,
    units: Units,
    *,
    n_resamples: int,
    confidence: float,
    seed: int,
) -> dict[str, Interval]:
    """Percentile intervals of ``statistic`` over stratified resamples of ``units``, shifted
    by ``point`` minus the statistic at the units' own counts (zero when units are items)."""
    if n_resamples == 0:
        return dict.fromkeys(point, NO_INTERVAL)
    at_units = statistic(units.counts[None, :].astype(float))
    draws: dict[str, list[np.ndarray]] = {k: [] for k in point}
    for weights in stratified_weights(units, n_resamples, seed):
        for name, values in statistic(weights).items():
            draws[name].append(values)
    alpha = 1.0 - confidence
    out = {}
    for name, parts in draws.items():
        shift = point[name] - float(at_units[name][0])
        raw = percentile_interval(np.concatenate(parts), alpha)
        out[name] = (
            Interval(raw.low + shift, raw.high + shift) if np.isfinite(shift) else NO_INTERVAL
        )
    return out


class SortedGroups:
    """Units sorted by descending score with tied scores grouped, so that weighted counts
    per group are one ``np.add.reduceat`` away."""

    def __init__(self, values: np.ndarray) -> None:
        self.order = np.argsort(-values, kind="stable")
        ordered = values[self.order]
        self.starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        self.values = ordered[self.starts]

    def sums(self, weights: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Weighted count of the masked units in each group: ``(b, groups)``."""
        masked = weights[:, self.order] * mask[self.order]
        return np.add.reduceat(masked, self.starts, axis=1)
