import json
from collections import Counter, defaultdict

import numpy as np
import pytest

from benchmark import load_dataset
from benchmark.check_scoring import check_scores
from benchmark.compare import paired_macro_f1_difference
from benchmark.hibocheck import build, data_dir
from benchmark.scoring import score

REQUIRED_PAIR_TYPES = {
    "private_vs_official", "identifiable_vs_not", "sourced_vs_unsourced", "fact_vs_opinion",
    "review_vs_false_claim", "policy_vs_personal_attack", "quote_vs_counter_speech",
    "insult_vs_negated", "threat_vs_hyperbole", "profanity_person_vs_situation",
}  # fmt: skip


@pytest.fixture(scope="module")
def cases():
    return [
        json.loads(x) for x in (data_dir() / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def test_committed_suite_is_what_the_generator_produces():
    assert build() == (data_dir() / "cases.jsonl").read_text(encoding="utf-8")


def test_suite_size_functionalities_templates_and_pairs(cases):
    assert len(cases) >= 1500
    templates = defaultdict(set)
    for case in cases:
        templates[case["functionality"]].add(case["template_id"])
    assert len(templates) >= 30 and all(len(t) >= 3 for t in templates.values())
    assert len({c["text"] for c in cases}) == len(cases)
    by_id = {c["id"]: c for c in cases}
    pair_types = Counter(c["pair_type"] for c in cases if c["ref_case_id"])
    assert REQUIRED_PAIR_TYPES <= set(pair_types)
    for case in cases:
        if case["ref_case_id"]:
            partner = by_id[case["ref_case_id"]]
            assert partner["functionality"] != case["functionality"]
            assert partner["template_id"].endswith(case["template_id"][-3:])
    assert set(Counter(c["label"] for c in cases)) == {"illegal", "harmful", "criticism", "none"}


def test_loader_returns_a_test_split_with_functional_columns(schema):
    data = load_dataset("hibo_check")
    assert set(data) == {"test"}
    assert {"functionality", "template_id", "ref_case_id", "pair_type"} <= set(
        data["test"].column_names
    )
    assert data["test"].features["label"].names == list(schema.class_ids)


def test_check_scores_by_hand():
    gold = np.array([0, 0, 2, 2, 3, 3])
    pred = np.array([0, 3, 2, 2, 3, 0])
    result = check_scores(
        gold,
        pred,
        case_ids=["a1", "a2", "b1", "b2", "c1", "c2"],
        functionality=["A", "A", "B", "B", "C", "C"],
        functionality_names=["fa", "fa", "fb", "fb", "fc", "fc"],
        ref_case_ids=["b1", "b2", None, None, None, None],
        pair_types=["a_vs_b", "a_vs_b", None, None, None, None],
        n_resamples=200,
    )
    assert result["functionalities"]["A"]["accuracy"] == 0.5
    assert result["functionalities"]["B"]["accuracy"] == 1.0
    pair = result["pairs"]["a_vs_b"]
    assert pair["n_pairs"] == 2 and pair["consistency"] == 0.5 and pair["gap"] == -0.5
    assert pair["consistency_ci"][0] <= 0.5 <= pair["consistency_ci"][1]
    assert result["weakest"][0] == "A"


def test_paired_difference_matches_unpaired_point_estimates():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 4, 400)
    a = np.where(rng.random(400) < 0.8, gold, rng.integers(0, 4, 400))
    b = np.where(rng.random(400) < 0.6, gold, rng.integers(0, 4, 400))
    paired = paired_macro_f1_difference(gold, a, b, n_resamples=500)
    assert paired["difference"] == pytest.approx(score(gold, a).macro_f1 - score(gold, b).macro_f1)
    assert paired["ci_low"] < paired["difference"] < paired["ci_high"]
    same = paired_macro_f1_difference(gold, a, a, n_resamples=200)
    assert same["difference"] == same["ci_low"] == same["ci_high"] == 0.0


def test_card_lists_every_functionality_and_the_case_count(cases):
    card = (data_dir() / "README.md").read_text(encoding="utf-8")
    for functionality in {c["functionality"] for c in cases}:
        assert f"| {functionality} | `" in card, functionality
    assert f"{len(cases):,} (" in card
