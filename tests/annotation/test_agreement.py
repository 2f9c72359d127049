"""Agreement statistics, checked against published worked examples and scikit-learn."""

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from benchmark.annotation.agreement import (
    annotator_vs_majority,
    field_agreement,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise_kappa,
    span_f1,
    specific_agreement,
    value_counts,
)


def _units(columns: dict[str, list]) -> dict[str, dict[str, object]]:
    units: dict[str, dict[str, object]] = {}
    for annotator, values in columns.items():
        for unit, value in enumerate(values):
            if value is not None:
                units.setdefault(str(unit), {})[annotator] = value
    return units


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# nominal data, four observers, twelve units, missing values; published alpha = 0.743.
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def test_alpha_reproduces_krippendorffs_published_example():
    counts, _ = value_counts(_units(KRIPPENDORFF_2011))
    assert round(krippendorff_alpha(counts), 3) == 0.743
    assert counts.shape[0] == 11  # the unit rated once carries no pairable values


def test_fleiss_reproduces_the_textbook_example():
    # Fleiss' kappa worked example (10 subjects, 14 raters, 5 categories): kappa = 0.210.
    table = np.array(
        [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
         [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    )  # fmt: skip
    assert round(fleiss_kappa(table), 3) == 0.210
    assert fleiss_kappa(np.array([[2, 0], [1, 2]])) is None  # 2 and 3 ratings: incomplete design


def test_pairwise_kappa_equals_scikit_learn():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 4, 60).tolist()
    b = [x if rng.random() < 0.7 else int(rng.integers(0, 4)) for x in a]
    kappas = pairwise_kappa(_units({"a": a, "b": b}))
    assert kappas["a × b"]["kappa"] == pytest.approx(cohen_kappa_score(a, b))
    assert kappas["a × b"]["n"] == 60


def test_specific_agreement_and_majority_by_hand():
    units = _units(
        {
            "x": ["illegal", "none", "none"],
            "y": ["illegal", "none", "criticism"],
            "z": ["harmful", "none", "criticism"],
        }
    )
    counts, cats = value_counts(units)
    shares = specific_agreement(counts, cats)
    # 'illegal': item 0 has 2 of 3 → pairs agreeing 2·1 = 2, pairs involving 2·2 = 4
    assert shares["illegal"] == pytest.approx(2 / 4)
    assert shares["none"] == pytest.approx(6 / 8)  # item1: 3·2 of 3·2; item2: 0 of 1·2
    assert shares["harmful"] == pytest.approx(0.0)
    majority = annotator_vs_majority(units)
    # x: item0 others {illegal, harmful} tie → skipped; item1 none vs none ✓; item2 others all criticism ✗
    assert majority["x"] == {"agreement": 0.5, "n": 2.0}
    assert majority["y"] == {"agreement": 1.0, "n": 1.0}  # items 0 and 2 are ties for y
    assert majority["z"] == {"agreement": 0.5, "n": 2.0}


def test_list_values_compare_as_sets_and_perfect_agreement_gives_alpha_one():
    units = _units(
        {
            "a": [["insult", "defamation"], ["privacy"], []],
            "b": [["defamation", "insult"], ["privacy"], []],
        }
    )
    result = field_agreement("illegal_subtypes", units, n_resamples=100)
    assert result.alpha == 1.0 and result.alpha_ci.low == 1.0


def test_bootstrap_interval_contains_alpha():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 4, 150)
    columns = {
        name: [int(t) if rng.random() < 0.8 else int(rng.integers(0, 4)) for t in truth]
        for name in "abc"
    }
    result = field_agreement("label", _units(columns), n_resamples=500, seed=1)
    assert result.alpha_ci.low < result.alpha < result.alpha_ci.high
    assert result.fleiss_kappa is not None and result.n_items == 150


def test_span_f1_by_hand():
    a = [{"start": 0, "end": 4, "label": "TARGET", "text": "如月さん"}]
    b = [
        {"start": 2, "end": 4, "label": "TARGET", "text": "さん"},
        {"start": 5, "end": 7, "label": "INSULT_TERM", "text": "ゴミ"},
    ]
    scores = span_f1({"1": {"a": a, "b": b}})
    assert scores["TARGET"] == pytest.approx(2 * 2 / (4 + 2))
    assert scores["INSULT_TERM"] == 0.0
    assert scores["all"] == pytest.approx(2 * 2 / (4 + 4))
