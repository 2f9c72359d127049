"""The runner's column reads and its ``predictions.jsonl`` writer match the row-by-row originals."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from datasets import ClassLabel, Dataset, Features, List, Value

from benchmark.predictions_file import _json_floats
from benchmark.predictions_file import predictions_jsonl as _predictions_jsonl
from benchmark.runner import _column, _labels

NAMES = ["illegal", "harmful", "criticism", "none"]
IDS = [
    "post-1",
    'quote"inside',
    "back\\slash",
    "実名の投稿①",
    "tab\tand\nnewline",
    "control\x01\x1f",
    "emoji 😀",
    "全角　スペース",
]


def reference_jsonl(
    ids: list[str],
    gold: list[str],
    predicted: np.ndarray,
    probabilities: np.ndarray | None,
    model_labels: list[str],
) -> str:
    """The former implementation: one ``json.dumps`` per row."""
    rows = []
    for i, item_id in enumerate(ids):
        row: dict[str, Any] = {
            "id": item_id,
            "gold": gold[i],
            "predicted": model_labels[predicted[i]],
        }
        if probabilities is not None:
            row["scores"] = {
                name: round(float(p), 6)
                for name, p in zip(model_labels, probabilities[i], strict=True)
            }
        rows.append(json.dumps(row, ensure_ascii=False))
    return "\n".join(rows) + "\n"


@pytest.fixture
def dataset() -> Dataset:
    n = 40
    features = Features(
        {
            "id": Value("string"),
            "label": ClassLabel(names=NAMES),
            "illegal_subtypes": List(Value("string")),
            "region": Value("string"),
        }
    )
    return Dataset.from_dict(
        {
            "id": [f"{IDS[i % len(IDS)]}-{i}" for i in range(n)],
            "label": [i % 4 for i in range(n)],
            "illegal_subtypes": [["privacy"] * (i % 3) for i in range(n)],
            "region": [None if i % 5 == 0 else f"r{i % 3}" for i in range(n)],
        },
        features=features,
    )


def test_columns_follow_select_filter_and_shuffle(dataset):
    views = [
        dataset,
        dataset.select([7, 3, 3, 0, 39]),
        dataset.filter(lambda row: row["label"] != 2),
        dataset.shuffle(seed=1).select(range(10)),
    ]
    for view in views:
        for name in view.column_names:
            assert _column(view, name) == list(view[name])
        labels = _labels(view)
        assert labels.dtype == np.int64
        assert labels.tolist() == list(view["label"])


def rows_with_scores(n: int, seed: int = 0) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    ids = [f"{IDS[i % len(IDS)]}#{i}" for i in range(n)]
    gold = [NAMES[g] for g in rng.integers(0, 4, n)]
    probabilities = rng.dirichlet(np.ones(4), size=n)
    probabilities[:5] = [
        [0.1234565, 0.0000004, 1e-5, 0.8765431],  # ties at the 7th digit; tiny values
        [0.0, -0.0, 1.0, 2.675e-7],
        [float("nan"), float("inf"), float("-inf"), 0.5],
        [1 / 3, 2 / 3, 1e-300, 123456.7890125],
        [0.25, 0.25, 0.25, 0.25],
    ]
    return ids, gold, probabilities.argmax(axis=1), probabilities


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_predictions_jsonl_matches_json_dumps_per_row(dtype):
    ids, gold, predicted, probabilities = rows_with_scores(500)
    probabilities = probabilities.astype(dtype)
    gold_index = np.asarray([NAMES.index(name) for name in gold])
    fast = _predictions_jsonl(ids, gold_index, NAMES, predicted, NAMES, probabilities)
    assert fast == reference_jsonl(ids, gold, predicted, probabilities, NAMES)
    parsed = [json.loads(line) for line in fast.splitlines()]
    assert [row["id"] for row in parsed] == ids
    assert "実名の投稿①" in fast  # ensure_ascii=False: Japanese stays readable


def test_predictions_jsonl_without_scores_and_with_other_gold_labels():
    ids, _, predicted, _ = rows_with_scores(50)
    gold_labels = ["対象外", 'say "yes"']
    gold_index = np.arange(50) % 2
    fast = _predictions_jsonl(ids, gold_index, gold_labels, predicted, NAMES, None)
    gold = [gold_labels[g] for g in gold_index]
    assert fast == reference_jsonl(ids, gold, predicted, None, NAMES)


def test_predictions_jsonl_of_no_rows():
    empty = np.zeros(0, dtype=np.int64)
    fast = _predictions_jsonl([], empty, NAMES, empty, NAMES, np.zeros((0, 4)))
    assert fast == reference_jsonl([], [], empty, np.zeros((0, 4)), NAMES)


def test_scores_are_written_as_json_dumps_of_round():
    rng = np.random.default_rng(3)
    values = np.concatenate(
        [
            np.arange(0, 1_000_001) / 1e6,  # every 6-digit probability
            rng.random(100_000),
            np.arange(1, 2**12) / 2**12,  # exact binary fractions: ties at the 7th digit
            (np.arange(1, 10_000) + 0.5) / 1e6,  # near-ties after scaling
            rng.normal(0, 1e6, 1000),
            [-0.0, -1e-7, 5e-7, 4.9e-5, 9.99949e-5, 9.9995e-5, 999.9999995, 1e300, -1e300],
            [np.nan, np.inf, -np.inf, 1e15, 1e16, 123456789.123456],
        ]
    )
    want = [json.dumps(round(float(v), 6)) for v in values]
    assert _json_floats(values).to_pylist() == want
