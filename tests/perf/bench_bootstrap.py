"""Bootstrap cost: ``benchmark.scoring.score`` versus a naive scikit-learn resampling loop.

Run on demand (pytest does not collect ``bench_*.py``)::

    .venv/bin/python tests/perf/bench_bootstrap.py

The fast path: 1,000 resamples of macro-F1 and both legal-cost rates on 1,000,000 predictions.
The naive loop: index resampling + ``sklearn.metrics.f1_score`` + the two rates, on 100,000 rows
x 50 resamples; its per-resample cost is scaled linearly to 1,000,000 rows for the ratio.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from sklearn.metrics import f1_score

from benchmark.schema import load_schema
from benchmark.scoring import score

CLASS_MIX = (0.15, 0.25, 0.20, 0.40)  # illegal, harmful, criticism, none (HiboCore-like)
TARGET_RATIO = 50


def predictions(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gold labels in a realistic mix and a classifier that is right about 70% of the time."""
    rng = np.random.default_rng(seed)
    gold = rng.choice(4, size=n, p=CLASS_MIX)
    wrong = rng.random(n) < 0.3
    pred = np.where(wrong, rng.choice(4, size=n, p=CLASS_MIX), gold)
    return gold, pred


def naive(gold: np.ndarray, pred: np.ndarray, n_resamples: int, seed: int = 0) -> float:
    """Seconds for ``n_resamples`` of index resampling + f1_score + the two rates."""
    schema = load_schema()
    rates = [
        ([schema.str2int(c) for c in r.gold], [schema.str2int(c) for c in r.predicted])
        for r in schema.rates.values()
    ]
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    for _ in range(n_resamples):
        idx = rng.integers(0, len(gold), len(gold))
        g, p = gold[idx], pred[idx]
        f1_score(g, p, average="macro")
        for gold_classes, predicted_classes in rates:
            mask = np.isin(g, gold_classes)
            np.isin(p[mask], predicted_classes).mean()
    return time.perf_counter() - start


def best_of(runs: int, call: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    gold, pred = predictions(1_000_000)
    fast_total = best_of(3, lambda: score(gold, pred, n_resamples=1000))
    point = best_of(3, lambda: score(gold, pred, n_resamples=0))
    fast_per = fast_total / 1000  # conservative: includes the fixed cost of one score()

    small_gold, small_pred = predictions(100_000, seed=1)
    naive_total = naive(small_gold, small_pred, 50)
    naive_per_100k = naive_total / 50
    naive_per_1m = naive_per_100k * 10  # linear in rows

    ratio = naive_per_1m / fast_per
    print("bootstrap of macro-F1 + wrongful-takedown rate + illegal-miss rate (best of 3)")
    print(f"  score(), 1,000,000 rows x 1000 resamples: {fast_total:.2f} s in all; "
          f"{point:.2f} s with no resampling")  # fmt: skip
    print(f"  per resample, fast:  {fast_per * 1e3:.2f} ms (total / 1000, fixed costs included), "
          f"marginal {max(fast_total - point, 0) / 1000 * 1e3:.3f} ms")  # fmt: skip
    print(f"  naive loop, 100,000 rows x 50 resamples: {naive_total:.2f} s")
    print(f"  per resample, naive: {naive_per_100k * 1e3:.1f} ms at 100,000 rows, "
          f"~{naive_per_1m * 1e3:.0f} ms scaled to 1,000,000 rows")  # fmt: skip
    print(f"  ratio (naive / fast, per resample at 1,000,000 rows): {ratio:.0f}x "
          f"(target >= {TARGET_RATIO}x: {'met' if ratio >= TARGET_RATIO else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
