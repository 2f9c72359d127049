"""Metrics beyond the headline: ranking (ROC/PR-AUC, recall at a wrongful-takedown rate),
calibration, Perspective-style bias, cost-weighted error, subtype recall and slices —
checked against hand-computed cases and scikit-learn."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from benchmark import score
from benchmark.bias import bias_section
from benchmark.calibration import calibration_section
from benchmark.costs import DEFAULT_COSTS, cost_matrix
from benchmark.errors import ConfigError
from benchmark.ranking_metrics import ranking_scores
from benchmark.schema import load_schema

ILLEGAL, HARMFUL, CRITICISM, NONE = 0, 1, 2, 3


def test_recall_at_wrongful_takedown_rate_by_hand():
    # 4 illegal items, 20 criticism items (the reference negatives), 2 harmful
    values = np.array([0.95, 0.9, 0.6, 0.3] + [0.92] + [0.5] * 19 + [0.99, 0.1])
    positive = np.array([True] * 4 + [False] * 22)
    reference = np.array([False] * 4 + [True] * 20 + [False] * 2)
    point, _ = ranking_scores(
        positive, reference, values, strata=positive.astype(int), n_resamples=0,
        wtr_levels=(0.01, 0.05, 1.0),
    )  # fmt: skip
    # 1%: no criticism item may be removed, so the threshold stays above 0.92: 0.95 → 1 of 4
    assert point["recall_at_wtr_1pct"] == 0.25
    # 5%: one of 20 may go (0.92); the tied nineteen at 0.5 may not: 0.95, 0.9, 0.6 → 3 of 4
    assert point["recall_at_wtr_5pct"] == 0.75
    assert point["recall_at_wtr_100pct"] == 1.0


def test_no_threshold_allowed_gives_zero_recall():
    values = np.array([0.2, 0.9])  # the criticism item outscores the illegal one
    positive = np.array([True, False])
    point, _ = ranking_scores(
        positive, ~positive, values, strata=positive.astype(int), n_resamples=0
    )
    assert point["recall_at_wtr_1pct"] == 0.0
    assert point["roc_auc"] == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ranking_metrics_match_scikit_learn_with_ties(seed):
    rng = np.random.default_rng(seed)
    positive = rng.random(400) < 0.3
    values = np.round(rng.random(400) + positive * 0.4, 1)  # coarse: many ties
    point, intervals = ranking_scores(
        positive, ~positive, values, strata=positive.astype(int), n_resamples=200, seed=seed
    )
    assert point["roc_auc"] == pytest.approx(roc_auc_score(positive, values))
    assert point["pr_auc"] == pytest.approx(average_precision_score(positive, values))
    for name, value in point.items():
        assert intervals[name].low <= value <= intervals[name].high, name


def test_ranking_bootstrap_is_seeded_and_near_index_resampling():
    rng = np.random.default_rng(7)
    positive = rng.random(300) < 0.4
    values = rng.random(300) + positive * 0.3
    strata = positive.astype(int)
    run = lambda seed: ranking_scores(positive, ~positive, values, strata=strata, seed=seed)[1]  # noqa: E731
    assert run(5) == run(5)
    ours = run(5)["roc_auc"]
    # the same bootstrap done the slow way: index draws within each class
    groups = [np.flatnonzero(~positive), np.flatnonzero(positive)]
    slow = []
    for _ in range(1000):
        idx = np.concatenate([rng.choice(g, g.size) for g in groups])
        slow.append(roc_auc_score(positive[idx], values[idx]))
    low, high = np.quantile(slow, [0.025, 0.975])
    assert ours.low == pytest.approx(low, abs=0.015)
    assert ours.high == pytest.approx(high, abs=0.015)


def test_ece_brier_and_bins_by_hand():
    gold = np.array([0, 0, 1, 1])
    probabilities = np.array([[0.95, 0.05], [0.55, 0.45], [0.15, 0.85], [0.52, 0.48]])
    section = calibration_section(gold, probabilities, n_bins=2, n_resamples=100)
    # bin [0.5, 1): every top-label confidence lands here; mean conf 0.7175, accuracy 0.75
    (only_bin,) = section["bins"]
    assert only_bin["count"] == 4 and only_bin["low"] == 0.5
    assert only_bin["confidence"] == pytest.approx((0.95 + 0.55 + 0.85 + 0.52) / 4)
    assert only_bin["accuracy"] == 0.75
    assert section["ece"]["value"] == pytest.approx(abs(0.7175 - 0.75))
    brier = ((probabilities - np.eye(2)[gold]) ** 2).sum(axis=1).mean()
    assert section["brier"]["value"] == pytest.approx(brier)
    assert section["ece"]["ci_low"] <= section["ece"]["value"] <= section["ece"]["ci_high"]


def test_bias_metrics_match_auc_on_the_defined_subsets():
    rng = np.random.default_rng(0)
    groups = rng.choice(["company", "group", "private_individual"], 500)
    positive = rng.random(500) < 0.35
    values = rng.random(500) + positive * 0.5 - (groups == "company") * 0.3
    section = bias_section(positive, values, groups.tolist(), view="illegal", column="target_type")
    cell = section["subgroups"]["company"]
    inside = groups == "company"
    assert cell["subgroup_auc"] == pytest.approx(roc_auc_score(positive[inside], values[inside]))
    bpsn = (~inside & positive) | (inside & ~positive)
    bnsp = (inside & positive) | (~inside & ~positive)
    assert cell["bpsn_auc"] == pytest.approx(roc_auc_score(positive[bpsn], values[bpsn]))
    assert cell["bnsp_auc"] == pytest.approx(roc_auc_score(positive[bnsp], values[bnsp]))
    # scores pushed down for company posts: their illegal posts are under-protected
    assert cell["bnsp_auc"] < cell["bpsn_auc"]
    assert cell["n"] == int(inside.sum()) and cell["n_positive"] == int((inside & positive).sum())


def test_cost_weighted_error_by_hand():
    # one criticism post removed as illegal (5), one illegal post missed (5), one right
    s = score(["criticism", "illegal", "none"], ["illegal", "none", "none"], n_resamples=0)
    assert s.metrics["cost_weighted_error"] == pytest.approx(10 / 3)
    custom = {g: {p: (1 if g != p else 0) for p in DEFAULT_COSTS} for g in DEFAULT_COSTS}
    s = score(["criticism", "illegal", "none"], ["illegal", "none", "none"], costs=custom)
    assert s.metrics["cost_weighted_error"] == pytest.approx(1 - s.accuracy)
    assert s.to_dict()["cost_matrix"]["matrix"][CRITICISM] == [1, 1, 0, 1]


def test_default_costs_put_wrongful_takedown_and_missed_illegal_highest():
    matrix = cost_matrix(load_schema())
    assert matrix[CRITICISM, ILLEGAL] == matrix[ILLEGAL, NONE] == matrix.max()
    assert np.all(np.diag(matrix) == 0)


@pytest.mark.parametrize(
    "costs, match",
    [
        ({"illegal": {}}, r"rows \['illegal'\]; expected one row per gold class"),
        ({**DEFAULT_COSTS, "none": {"illegal": 1}}, r"scoring.cost_matrix.none has columns"),
        (
            {**DEFAULT_COSTS, "none": {**DEFAULT_COSTS["none"], "harmful": -1}},
            r"scoring.cost_matrix.none.harmful is -1; expected a finite number >= 0",
        ),
    ],
)
def test_bad_cost_matrix_is_a_config_error(costs, match):
    with pytest.raises(ConfigError, match=match):
        cost_matrix(load_schema(), costs)


def test_subtype_recall_counts_an_item_for_each_of_its_subtypes():
    gold = ["illegal", "illegal", "illegal", "harmful"]
    pred = ["illegal", "none", "illegal", "illegal"]
    subtypes = [["defamation"], ["defamation", "privacy"], ["threat"], []]
    section = score(gold, pred, gold_subtypes=subtypes).to_dict()["illegal_subtype_recall"]
    assert section["defamation"]["recall"] == 0.5 and section["defamation"]["support"] == 2
    assert section["privacy"]["recall"] == 0.0
    assert section["threat"] == {"recall": 1.0, "ci_low": 1.0, "ci_high": 1.0, "support": 1}
    assert section["insult"]["support"] == 0 and section["insult"]["recall"] is None


def test_slices_score_each_value_like_the_subset_alone():
    rng = np.random.default_rng(1)
    gold = rng.integers(0, 4, 200)
    pred = np.where(rng.random(200) < 0.7, gold, rng.integers(0, 4, 200))
    platform = rng.choice(["sns", "board", "review"], 200)
    full = score(gold, pred, slices={"platform": platform.tolist()}).to_dict()
    for value in ("sns", "board", "review"):
        alone = score(gold[platform == value], pred[platform == value]).to_dict()
        cell = full["slices"]["platform"][value]
        assert cell["n"] == int((platform == value).sum())
        assert cell["headline"] == alone["headline"]


def test_score_sections_appear_only_with_their_inputs():
    gold, pred = ["illegal", "none"], ["illegal", "criticism"]
    plain = score(gold, pred).to_dict()
    assert "binary_views" not in plain and "calibration" not in plain and "slices" not in plain
    unnormalised = score(gold, pred, scores=[[3.0, 0, 0, 1], [0, 0, 2, 1]]).to_dict()
    assert "binary_views" in unnormalised and "calibration" not in unnormalised


def test_per_class_intervals_come_from_the_same_stratified_resamples():
    rng = np.random.default_rng(4)
    gold = rng.integers(0, 4, 500)
    pred = np.where(rng.random(500) < 0.75, gold, rng.integers(0, 4, 500))
    section = score(gold, pred, n_resamples=2000, seed=1).to_dict()["per_class"]
    for i, label in enumerate(("illegal", "harmful", "criticism", "none")):
        cell = section[label]
        for measure in ("precision", "recall", "f1"):
            assert cell[f"{measure}_ci_low"] < cell[measure] < cell[f"{measure}_ci_high"]
        # recall of a class is a proportion over a fixed number of gold items: its bootstrap
        # interval is close to the normal approximation of a binomial proportion
        recall, n = cell["recall"], int((gold == i).sum())
        half_width = 1.96 * np.sqrt(recall * (1 - recall) / n)
        assert cell["recall_ci_high"] - cell["recall_ci_low"] == pytest.approx(
            2 * half_width, rel=0.15
        )


def test_cell_bootstrap_on_large_data_agrees_with_the_item_bootstrap(monkeypatch):
    import benchmark.calibration as calibration
    import benchmark.ranking_metrics as ranking

    rng = np.random.default_rng(0)
    n = 12_000  # above MAX_ITEM_UNITS: cells are resampled
    gold = rng.integers(0, 4, n)
    logits = rng.normal(size=(n, 4)) + np.eye(4)[gold] * 1.5
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    positive, reference = gold == ILLEGAL, gold == CRITICISM
    assert n > ranking.MAX_ITEM_UNITS

    def both():
        ranked = ranking_scores(
            positive, reference, proba[:, ILLEGAL], strata=gold, n_resamples=600
        )
        return ranked, calibration_section(gold, proba, n_resamples=600)

    (point, cells), calibrated_cells = both()
    monkeypatch.setattr(ranking, "MAX_ITEM_UNITS", n)
    monkeypatch.setattr(calibration, "MAX_ITEM_UNITS", n)
    (exact_point, items), calibrated_items = both()
    assert point == exact_point  # point estimates are always exact
    for name in point:
        assert cells[name].low == pytest.approx(items[name].low, abs=0.01), name
        assert cells[name].high == pytest.approx(items[name].high, abs=0.01), name
    for name in ("ece", "brier"):
        assert calibrated_cells[name]["value"] == calibrated_items[name]["value"]
        for end in ("ci_low", "ci_high"):
            assert calibrated_cells[name][end] == pytest.approx(
                calibrated_items[name][end], abs=0.004
            )
