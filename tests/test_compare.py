"""``hibobench compare``: paired differences, McNemar, Holm, tie groups, and refusals."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import binomtest

from benchmark import load_schema, score
from benchmark.compare import (
    System,
    compare_systems,
    four_way_metrics,
    holm,
    mcnemar_exact,
    paired_differences,
)
from benchmark.costs import cost_matrix
from tests.conftest import hibobench

FAST = "bootstrap.n_resamples=200"


def test_mcnemar_exact_by_hand():
    a = np.array([True] * 8 + [False] * 2 + [True] * 5)
    b = np.array([False] * 8 + [True] * 2 + [True] * 5)
    test = mcnemar_exact(a, b)
    assert (test["only_a_right"], test["only_b_right"]) == (8, 2)
    # 2 × P(X ≤ 2), X ~ Binomial(10, 1/2) = 2 × 56/1024
    assert test["p_value"] == pytest.approx(112 / 1024)
    assert test["p_value"] == pytest.approx(binomtest(2, 10, 0.5).pvalue)
    assert mcnemar_exact(a, a)["p_value"] == 1.0


def test_holm_by_hand():
    # sorted 0.01, 0.03, 0.04 → ×3, ×2, ×1 = 0.03, 0.06, 0.04 → monotone 0.03, 0.06, 0.06
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5, 0.9]) == [1.0, 1.0]


def _systems(seed=0, n=600):
    rng = np.random.default_rng(seed)
    gold = rng.integers(0, 4, n)
    strong = np.where(rng.random(n) < 0.85, gold, rng.integers(0, 4, n))
    near = strong.copy()
    flip = rng.choice(n, 6, replace=False)
    near[flip] = rng.integers(0, 4, 6)
    weak = np.where(rng.random(n) < 0.4, gold, rng.integers(0, 4, n))
    return gold, strong, near, weak


def test_paired_differences_match_separate_scores():
    schema = load_schema()
    gold, strong, _, weak = _systems()
    cells = paired_differences(
        gold, strong, weak, 4, four_way_metrics(schema, None),
        n_resamples=300, confidence=0.95, seed=0,
    )  # fmt: skip
    a, b = score(gold, strong, n_resamples=0), score(gold, weak, n_resamples=0)
    for name in ("accuracy", "macro_f1", "wrongful_takedown_rate", "illegal_miss_rate"):
        assert cells[name]["difference"] == pytest.approx(a.metrics[name] - b.metrics[name])
        assert cells[name]["ci_low"] <= cells[name]["difference"] <= cells[name]["ci_high"]
    assert cells["macro_f1"]["p_value"] == pytest.approx(2 / 301)  # never 0
    same = paired_differences(
        gold, strong, strong, 4, four_way_metrics(schema, None),
        n_resamples=100, confidence=0.95, seed=0,
    )["macro_f1"]  # fmt: skip
    assert same["difference"] == same["ci_low"] == same["ci_high"] == 0.0
    assert same["p_value"] == 1.0


def test_systems_that_cannot_be_told_apart_share_a_rank():
    schema = load_schema()
    gold, strong, near, weak = _systems()
    outcome = compare_systems(
        gold,
        [System("weak", weak), System("strong", strong), System("near", near)],
        4,
        four_way_metrics(schema, None),
        rank_by="macro_f1",
        n_resamples=500,
    )
    assert outcome["tie_groups"] == [
        {"rank": 1, "systems": ["near", "strong"]},
        {"rank": 3, "systems": ["weak"]},
    ]
    assert [row["system"] for row in outcome["ranking"]][-1] == "weak"
    assert len(outcome["pairs"]) == 3
    for pair in outcome["pairs"]:
        assert pair["mcnemar_p_holm"] >= pair["mcnemar"]["p_value"]


def test_lower_is_better_metrics_rank_the_right_way():
    schema = load_schema()
    gold, strong, _, weak = _systems(1)
    outcome = compare_systems(
        gold, [System("weak", weak), System("strong", strong)], 4,
        four_way_metrics(schema, cost_matrix(schema)), rank_by="cost_weighted_error", n_resamples=300,
    )  # fmt: skip
    assert outcome["tie_groups"][0] == {"rank": 1, "systems": ["strong"]}


def _score_file(tmp_path, hibo_core, schema, name, accuracy, seed):
    test = hibo_core["test"]
    rng = np.random.default_rng(seed)
    rows = []
    for item_id, gold in zip(test["id"], test["label"], strict=True):
        label = gold if rng.random() < accuracy else int(rng.integers(0, 4))
        rows.append(json.dumps({"id": item_id, "label": schema.int2str(label)}))
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = hibobench(
        "score", "--predictions", str(path), "tracking=none", FAST,
        f"hydra.run.dir={tmp_path / name}", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return tmp_path / name


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory, hibo_core):
    tmp_path = tmp_path_factory.mktemp("compare")
    schema = load_schema()
    return tmp_path, [
        _score_file(tmp_path, hibo_core, schema, name, accuracy, seed)
        for name, accuracy, seed in (("good", 0.9, 1), ("good_too", 0.9, 2), ("poor", 0.5, 3))
    ]


@pytest.mark.integration
def test_cli_prints_differences_mcnemar_and_tie_groups(three_runs):
    tmp_path, runs = three_runs
    out = tmp_path / "comparison.json"
    done = hibobench("compare", *map(str, runs), "--json", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "McNemar" in done.stdout and "Tie groups" in done.stdout
    comparison = json.loads(out.read_text(encoding="utf-8"))
    assert comparison["n_items"] == 455 and len(comparison["pairs"]) == 3
    assert comparison["tie_groups"][-1] == {"rank": 3, "systems": ["poor"]}
    assert comparison["ranking"][0]["rank"] == 1


@pytest.mark.integration
def test_cli_refuses_runs_on_different_items_or_versions(three_runs):
    tmp_path, runs = three_runs
    fewer = tmp_path / "fewer"
    shutil.copytree(runs[1], fewer)
    lines = (fewer / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    (fewer / "predictions.jsonl").write_text("\n".join(lines[:-5]) + "\n", encoding="utf-8")
    done = hibobench("compare", str(runs[0]), str(fewer), "--names", "a", "b", cwd=tmp_path)
    assert done.returncode == 2
    assert "455 items" in done.stderr and "450 items" in done.stderr
    assert "same items" in done.stderr and "Traceback" not in done.stderr

    other_version = tmp_path / "other_version"
    shutil.copytree(runs[1], other_version)
    result = json.loads((other_version / "result.json").read_text(encoding="utf-8"))
    result["provenance"]["dataset"]["version"] = "0.9.0"
    (other_version / "result.json").write_text(json.dumps(result), encoding="utf-8")
    done = hibobench("compare", str(runs[0]), str(other_version), cwd=tmp_path)
    assert done.returncode == 2
    assert "different dataset version ('1.0.0' vs '0.9.0')" in done.stderr

    done = hibobench("compare", str(runs[0]), str(tmp_path / "nowhere"), cwd=tmp_path)
    assert done.returncode == 2 and "result.json: not found" in done.stderr


@pytest.mark.integration
def test_cli_compares_runs_on_a_binary_dataset(tmp_path):
    fixtures = Path(__file__).parent / "fixtures" / "court_cases"
    runs = []
    for model in ("majority", "tfidf_lr"):
        done = hibobench(
            "run", "dataset=court_cases", f"dataset.options.data_dir={fixtures}",
            "+dataset.options.accept_checksum_mismatch=true", f"model={model}",
            "tracking=none", FAST, f"hydra.run.dir={tmp_path / model}", cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        runs.append(tmp_path / model)
    out = tmp_path / "comparison.json"
    done = hibobench("compare", *map(str, runs), "--json", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    comparison = json.loads(out.read_text(encoding="utf-8"))
    assert comparison["dataset"]["binary_view"] == "illegal" and comparison["rank_by"] == "f1"
    (pair,) = comparison["pairs"]
    assert set(pair["metrics"]) == {"f1", "precision", "recall", "accuracy"}
    results = [json.loads((r / "result.json").read_text(encoding="utf-8")) for r in runs]
    for side, result in zip(("a", "b"), results, strict=True):
        assert pair["metrics"]["f1"][side] == pytest.approx(
            result["scores"]["headline"]["f1"]["value"]
        )
