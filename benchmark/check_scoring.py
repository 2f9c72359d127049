"""HiboCheck scores: per-functionality accuracy and contrast-pair consistency (pure functions).

Intervals are seeded percentile bootstraps: accuracy resamples cases within a
functionality (a binomial draw), pair statistics resample pairs (a multinomial draw over the
four right/wrong combinations of the two members).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _interval(values: np.ndarray, confidence: float) -> tuple[float, float]:
    alpha = 1 - confidence
    low, high = np.quantile(values, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def functionality_scores(
    correct: np.ndarray,
    functionality: Sequence[str],
    names: Sequence[str],
    *,
    n_resamples: int,
    confidence: float,
    rng: np.random.Generator,
) -> dict[str, dict[str, Any]]:
    ids = np.asarray(functionality)
    names_by_id = dict(zip(functionality, names, strict=True))
    out = {}
    for fid in sorted(set(functionality)):
        mask = ids == fid
        n, hits = int(mask.sum()), int(correct[mask].sum())
        draws = rng.binomial(n, hits / n, size=max(n_resamples, 1)) / n
        low, high = _interval(draws, confidence)
        out[fid] = {
            "name": names_by_id[fid],
            "n": n,
            "accuracy": hits / n,
            "ci_low": low,
            "ci_high": high,
        }
    return out


def pair_scores(
    correct: np.ndarray,
    case_ids: Sequence[str],
    ref_case_ids: Sequence[str | None],
    pair_types: Sequence[str | None],
    functionality: Sequence[str],
    *,
    n_resamples: int,
    confidence: float,
    rng: np.random.Generator,
) -> dict[str, dict[str, Any]]:
    """Per pair type: share of pairs with both members right, and the accuracy gap between sides."""
    position = {case_id: i for i, case_id in enumerate(case_ids)}
    grouped: dict[str, list[tuple[int, int]]] = {}
    for i, (ref, pair_type) in enumerate(zip(ref_case_ids, pair_types, strict=True)):
        if ref and pair_type and ref in position:
            grouped.setdefault(pair_type, []).append((i, position[ref]))
    out = {}
    for pair_type, pairs in sorted(grouped.items()):
        left = correct[[i for i, _ in pairs]]
        right = correct[[j for _, j in pairs]]
        # cells: both right, left only, right only, both wrong
        cells = np.array(
            [
                (left & right).sum(),
                (left & ~right).sum(),
                (~left & right).sum(),
                (~left & ~right).sum(),
            ]
        )
        n = len(pairs)
        draws = rng.multinomial(n, cells / n, size=max(n_resamples, 1))
        consistency = draws[:, 0] / n
        gap = (draws[:, 1] - draws[:, 2]) / n
        out[pair_type] = {
            "n_pairs": n,
            "side_a": functionality[pairs[0][0]],
            "side_b": functionality[pairs[0][1]],
            "consistency": float(cells[0] / n),
            "consistency_ci": list(_interval(consistency, confidence)),
            "accuracy_a": float(left.mean()),
            "accuracy_b": float(right.mean()),
            "gap": float(left.mean() - right.mean()),
            "gap_ci": list(_interval(gap, confidence)),
        }
    return out


def check_scores(
    gold: np.ndarray,
    pred: np.ndarray,
    *,
    case_ids: Sequence[str],
    functionality: Sequence[str],
    functionality_names: Sequence[str],
    ref_case_ids: Sequence[str | None],
    pair_types: Sequence[str | None],
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, Any]:
    """The HiboCheck section of a result: functionalities, pairs and overall consistency."""
    correct = np.asarray(gold) == np.asarray(pred)
    rng = np.random.default_rng(seed)
    functionalities = functionality_scores(
        correct,
        functionality,
        functionality_names,
        n_resamples=n_resamples,
        confidence=confidence,
        rng=rng,
    )
    pairs = pair_scores(
        correct,
        case_ids,
        ref_case_ids,
        pair_types,
        list(functionality),
        n_resamples=n_resamples,
        confidence=confidence,
        rng=rng,
    )
    total = sum(p["n_pairs"] for p in pairs.values())
    both = sum(p["consistency"] * p["n_pairs"] for p in pairs.values())
    return {
        "functionalities": functionalities,
        "pairs": pairs,
        "pair_consistency": both / total if total else None,
        "weakest": sorted(functionalities, key=lambda f: functionalities[f]["accuracy"])[:5],
    }
