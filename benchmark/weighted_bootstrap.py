"""Item-level bootstrap for metrics that need scores, not just the confusion matrix.

ROC-AUC, PR-AUC, recall at a fixed wrongful-takedown rate and calibration depend on every
item's score, so the confusion-matrix trick of :mod:`benchmark.scoring` does not apply.
Instead each resample is a weight vector — how often each item was drawn — and every metric
is written as weighted sums over items sorted once. Resampling is stratified like the
headline metrics: the items of each gold class are drawn from that class only, so class
sizes stay fixed. Weights come in chunks to bound memory on a million items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from benchmark.stats import Interval, percentile_interval

CHUNK_CELLS = 4_000_000  # weights held at once: resamples per chunk × items


def stratified_weights(strata: np.ndarray, n_resamples: int, seed: int) -> Iterator[np.ndarray]:
    """Chunks ``(b, n)`` of bootstrap weights; within each stratum the weights are a
    multinomial draw of the stratum's size over its items."""
    rng = np.random.default_rng(seed)
    n = strata.size
    groups = [np.flatnonzero(strata == s) for s in np.unique(strata)]
    per_chunk = max(1, CHUNK_CELLS // max(n, 1))
    done = 0
    while done < n_resamples:
        b = min(per_chunk, n_resamples - done)
        weights = np.zeros((b, n))
        for members in groups:
            size = members.size
            weights[:, members] = rng.multinomial(size, np.full(size, 1.0 / size), size=b)
        done += b
        yield weights


def point_and_interval(
    statistic: Callable[[np.ndarray], dict[str, np.ndarray]],
    strata: np.ndarray,
    *,
    n_resamples: int,
    confidence: float,
    seed: int,
) -> tuple[dict[str, float], dict[str, Interval]]:
    """``statistic(weights (b, n)) -> {name: (b,)}`` at unit weights and its percentile
    intervals over ``n_resamples`` stratified resamples."""
    point = {k: float(v[0]) for k, v in statistic(np.ones((1, strata.size))).items()}
    draws: dict[str, list[np.ndarray]] = {k: [] for k in point}
    for weights in stratified_weights(strata, n_resamples, seed):
        for name, values in statistic(weights).items():
            draws[name].append(values)
    alpha = 1.0 - confidence
    intervals = {
        name: (
            percentile_interval(np.concatenate(parts), alpha)
            if parts
            else Interval(float("nan"), float("nan"))
        )
        for name, parts in draws.items()
    }
    return point, intervals


class SortedGroups:
    """Items sorted by descending score with tied scores grouped, so that weighted counts
    per group are one ``np.add.reduceat`` away."""

    def __init__(self, values: np.ndarray) -> None:
        self.order = np.argsort(-values, kind="stable")
        ordered = values[self.order]
        self.starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        self.values = ordered[self.starts]

    def sums(self, weights: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Weighted count of the masked items in each group: ``(b, groups)``."""
        masked = weights[:, self.order] * mask[self.order]
        return np.add.reduceat(masked, self.starts, axis=1)
