import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
    roc_auc_score,
)

from benchmark import HiboBenchError, SchemaError, score

K = 4
CRITICISM, ILLEGAL, HARMFUL, NONE = 2, 0, 1, 3

label_pairs = st.integers(min_value=1, max_value=300).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, K - 1), min_size=n, max_size=n),
        st.lists(st.integers(0, K - 1), min_size=n, max_size=n),
    )
)


def _rate(gold, pred, gold_classes, pred_classes):
    rows = np.isin(gold, gold_classes)
    return np.isin(pred[rows], pred_classes).mean() if rows.any() else np.nan


@settings(max_examples=150, deadline=None)
@given(label_pairs)
def test_metrics_equal_scikit_learn(pair):
    gold, pred = (np.asarray(x) for x in pair)
    s = score(gold, pred, n_resamples=50)
    present = sorted(set(gold) | set(pred))
    assert s.accuracy == pytest.approx(accuracy_score(gold, pred))
    assert s.macro_f1 == pytest.approx(
        f1_score(gold, pred, labels=present, average="macro", zero_division=0)
    )
    assert np.array_equal(
        np.asarray(s.confusion_matrix), confusion_matrix(gold, pred, labels=range(K))
    )
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, pred, labels=range(K), zero_division=0
    )
    for i, label in enumerate(s.labels):
        c = s.per_class[label]
        assert (c.precision, c.recall, c.f1, c.support) == pytest.approx(
            (precision[i], recall[i], f1[i], support[i])
        )
    np.testing.assert_equal(
        s.wrongful_takedown_rate, _rate(gold, pred, [CRITICISM], [ILLEGAL, HARMFUL])
    )
    np.testing.assert_equal(s.illegal_miss_rate, _rate(gold, pred, [ILLEGAL], [CRITICISM, NONE]))


@settings(max_examples=100, deadline=None)
@given(label_pairs, st.integers(0, 2**32 - 1))
def test_every_interval_contains_its_point_estimate(pair, seed):
    s = score(pair[0], pair[1], n_resamples=200, seed=seed)
    for name, value in s.metrics.items():
        interval = s.intervals[name]
        if np.isnan(value):
            assert np.isnan(interval.low) and np.isnan(interval.high)
        else:
            assert interval.low <= value <= interval.high, (name, value, interval)


def test_bootstrap_is_seeded_and_resamples_like_item_indices():
    rng = np.random.default_rng(1)
    gold = rng.integers(0, K, 400)
    pred = np.where(rng.random(400) < 0.6, gold, rng.integers(0, K, 400))
    first = score(gold, pred, n_resamples=4000, seed=7)
    assert first.intervals == score(gold, pred, n_resamples=4000, seed=7).intervals
    assert first.intervals != score(gold, pred, n_resamples=4000, seed=8).intervals
    # The multinomial-per-gold-row shortcut must match a naive stratified index bootstrap.
    naive = []
    for _ in range(4000):
        idx = np.concatenate(
            [rng.choice(np.flatnonzero(gold == c), size=(gold == c).sum()) for c in range(K)]
        )
        naive.append(f1_score(gold[idx], pred[idx], average="macro"))
    low, high = np.quantile(naive, [0.025, 0.975])
    assert first.intervals["macro_f1"].low == pytest.approx(low, abs=0.01)
    assert first.intervals["macro_f1"].high == pytest.approx(high, abs=0.01)


def test_names_and_indices_give_the_same_scores():
    names = ["illegal", "harmful", "criticism", "none", "criticism", "illegal"]
    preds = ["illegal", "criticism", "harmful", "none", "criticism", "none"]
    by_name = score(names, preds)
    by_index = score([0, 1, 2, 3, 2, 0], [0, 2, 1, 3, 2, 3])
    assert by_name.metrics == by_index.metrics
    assert by_name.wrongful_takedown_rate == 0.5
    assert by_name.illegal_miss_rate == 0.5


def test_rate_is_undefined_without_gold_items_of_its_class():
    s = score(["none", "harmful"], ["none", "none"])
    assert np.isnan(s.wrongful_takedown_rate)
    assert s.to_dict()["headline"]["wrongful_takedown_rate"]["value"] is None


def test_score_based_metrics_match_scikit_learn():
    rng = np.random.default_rng(3)
    gold = rng.integers(0, K, 300)
    raw = rng.random((300, K)) + np.eye(K)[gold] * rng.random((300, 1))
    proba = raw / raw.sum(axis=1, keepdims=True)
    s = score(gold, proba.argmax(axis=1), scores=proba)
    sections = s.to_dict()
    illegal = sections["binary_views"]["illegal"]["headline"]
    assert illegal["roc_auc"]["value"] == pytest.approx(
        roc_auc_score(gold == ILLEGAL, proba[:, ILLEGAL])
    )
    assert illegal["pr_auc"]["value"] == pytest.approx(
        average_precision_score(gold == ILLEGAL, proba[:, ILLEGAL])
    )
    actionable = np.isin(gold, [ILLEGAL, HARMFUL])
    assert sections["binary_views"]["actionable"]["headline"]["roc_auc"]["value"] == pytest.approx(
        roc_auc_score(actionable, proba[:, ILLEGAL] + proba[:, HARMFUL])
    )
    assert sections["calibration"]["brier"]["value"] == pytest.approx(
        ((proba - np.eye(K)[gold]) ** 2).sum(1).mean()
    )


def test_bad_inputs_get_clear_errors():
    with pytest.raises(HiboBenchError, match="y_true has 2 labels but y_pred has 1"):
        score(["none", "none"], ["none"])
    with pytest.raises(SchemaError, match=r"y_pred\[1\].*'Illegal'.*allowed values"):
        score(["none", "none"], ["none", "Illegal"])
    with pytest.raises(SchemaError, match=r"y_true\[0\] is 7"):
        score([7], [0])
    with pytest.raises(HiboBenchError, match="empty"):
        score([], [])
    with pytest.raises(HiboBenchError, match=r"scores must have shape \(2, 4\)"):
        score([0, 1], [0, 1], scores=np.ones((2, 3)))
