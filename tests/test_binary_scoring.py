import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from benchmark.binary_scoring import four_way_to_binary, score_binary
from benchmark.errors import HiboBenchError


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(7)
    gold = rng.integers(0, 2, size=400)
    noisy = np.clip(gold * 0.6 + rng.normal(0.2, 0.3, size=400), 0, 1)
    return gold, (noisy > 0.5).astype(int), noisy


def test_point_values_match_scikit_learn(sample):
    gold, pred, values = sample
    s = score_binary(gold, pred, positive_scores=values, n_resamples=200)
    assert s.metrics["f1"] == pytest.approx(f1_score(gold, pred))
    assert s.metrics["precision"] == pytest.approx(precision_score(gold, pred))
    assert s.metrics["recall"] == pytest.approx(recall_score(gold, pred))
    assert s.metrics["accuracy"] == pytest.approx(accuracy_score(gold, pred))
    assert s.metrics["roc_auc"] == pytest.approx(roc_auc_score(gold, values))
    for name, value in s.metrics.items():
        assert s.intervals[name].contains(value), name
    assert s.intervals["f1"].high - s.intervals["f1"].low < 0.2


def test_intervals_are_seeded_and_narrow_with_more_data(sample):
    gold, pred, values = sample
    a = score_binary(gold, pred, positive_scores=values, n_resamples=200, seed=3)
    b = score_binary(gold, pred, positive_scores=values, n_resamples=200, seed=3)
    assert a.intervals == b.intervals
    small = score_binary(gold[:60], pred[:60], n_resamples=200, seed=3)
    width = lambda s: s.intervals["f1"].high - s.intervals["f1"].low  # noqa: E731
    assert width(small) > width(a)


def test_four_way_predictions_through_the_binary_views(schema):
    idx = {c: schema.str2int(c) for c in schema.class_ids}
    predicted = np.array([idx["illegal"], idx["harmful"], idx["criticism"], idx["none"]])
    probabilities = np.array(
        [[0.7, 0.1, 0.1, 0.1], [0.2, 0.6, 0.1, 0.1], [0.1, 0.1, 0.7, 0.1], [0, 0, 0, 1.0]]
    )
    binary, positive = four_way_to_binary(predicted, probabilities, "illegal", schema)
    assert binary.tolist() == [1, 0, 0, 0] and positive.tolist() == pytest.approx(
        [0.7, 0.2, 0.1, 0.0]
    )
    binary, positive = four_way_to_binary(predicted, probabilities, "actionable", schema)
    assert binary.tolist() == [1, 1, 0, 0] and positive.tolist() == pytest.approx(
        [0.8, 0.8, 0.2, 0.0]
    )


@pytest.mark.parametrize(
    ("gold", "pred", "message"),
    [
        ([1, 0], [1], "one prediction per item"),
        ([], [], "one prediction per item"),
        ([1, 2], [1, 0], "0 \\(negative\\) or 1"),
    ],
)
def test_bad_input_is_refused(gold, pred, message):
    with pytest.raises(HiboBenchError, match=message):
        score_binary(gold, pred)


def test_binary_ranking_metrics_treat_every_negative_as_a_post_to_keep():
    gold = np.array([1, 1, 1, 1] + [0] * 20)
    values = np.array([0.95, 0.9, 0.6, 0.3] + [0.92] + [0.5] * 19)
    s = score_binary(gold, (values > 0.55).astype(int), positive_scores=values, n_resamples=100)
    # 1%: no negative may be removed → only 0.95; 5%: one (0.92) may → 0.95, 0.9, 0.6
    assert s.metrics["recall_at_wtr_1pct"] == 0.25
    assert s.metrics["recall_at_wtr_5pct"] == 0.75
    assert s.metrics["pr_auc"] == pytest.approx(average_precision_score(gold, values))
    section = s.to_dict()
    assert section["reference_negatives"] == "all negatives"
    assert (
        section["curves"]["roc"]["fpr"][0] == 0.0 and section["curves"]["pr"]["recall"][-1] == 1.0
    )
