import importlib.util
import itertools
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from datasets import ClassLabel, DatasetDict

from benchmark import SchemaError, load_dataset
from benchmark.annotation.decision_path import path_problems
from benchmark.resources import builtin_data_dir
from tests.conftest import hibobench

DATA_DIR = builtin_data_dir("hibo_core")
BUILD_SCRIPT = Path(__file__).resolve().parents[1] / "data_build" / "hibo_core" / "build.py"


def test_loads_as_dataset_dict_with_schema_class_labels(hibo_core, schema):
    assert isinstance(hibo_core, DatasetDict)
    assert set(hibo_core) == {"train", "dev", "test"}
    for split in hibo_core.values():
        feature = split.features["label"]
        assert isinstance(feature, ClassLabel) and tuple(feature.names) == schema.class_ids


def test_size_and_coverage_meet_the_v1_targets(hibo_core, schema):
    rows = [row for split in hibo_core.values() for row in split]
    assert len(rows) >= 2000
    assert len({r["id"] for r in rows}) == len(rows)
    per_class = Counter(schema.int2str(r["label"]) for r in rows)
    assert min(per_class[c] for c in schema.class_ids) >= 0.15 * len(rows), per_class
    illegal_subtypes = Counter(s for r in rows for s in r["illegal_subtypes"])
    assert {s: illegal_subtypes[s] for s in schema.fields["illegal_subtypes"].value_ids} == {
        s: n for s, n in illegal_subtypes.items() if n >= 60
    }, illegal_subtypes
    target_types = Counter(r["target_type"] for r in rows)
    assert {t: target_types[t] for t in schema.fields["target_type"].value_ids} == {
        t: n for t, n in target_types.items() if n >= 100
    }, target_types
    assert set(Counter(r["platform"] for r in rows)) == set(schema.fields["platform"].value_ids)


def test_every_split_has_every_class(hibo_core, schema):
    for name, split in hibo_core.items():
        per_class = Counter(split["label"])
        assert min(per_class[i] for i in range(schema.num_classes)) >= 30, (name, per_class)


def test_splits_are_scenario_disjoint(hibo_core):
    scenarios = {name: set(split["scenario"]) for name, split in hibo_core.items()}
    assert all(scenarios.values())
    for a, b in itertools.combinations(scenarios, 2):
        assert not scenarios[a] & scenarios[b], (a, b)


def test_scenarios_hold_minimal_pairs_across_classes(hibo_core):
    classes: dict[str, set[int]] = {}
    for split in hibo_core.values():
        for scenario, label in zip(split["scenario"], split["label"], strict=True):
            classes.setdefault(scenario, set()).add(label)
    assert len(classes) >= 300
    share_with_three = sum(len(labels) >= 3 for labels in classes.values()) / len(classes)
    assert all(len(labels) >= 2 for labels in classes.values())
    assert share_with_three >= 0.9, share_with_three


def test_every_record_carries_the_decision_path_the_guideline_prescribes(hibo_core, schema):
    problems = []
    for split in hibo_core.values():
        for row in split:
            record = {**row, "label": schema.int2str(row["label"])}
            problems += [f"{row['id']}: {p}" for p in path_problems(record)]
    assert not problems, problems[:10]


def test_shipped_data_is_the_build_of_the_authored_parts(tmp_path):
    spec = importlib.util.spec_from_file_location("hibo_core_build", BUILD_SCRIPT)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.build(tmp_path) == 0
    for name in ("posts.jsonl", "scenarios.jsonl"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_dataset_card_states_origin_guideline_version_and_license():
    card = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for needle in (
        "schema",
        "0.2",
        "CC BY 4.0",
        "fictional",
        "架空",
        "Limitations",
        "Krippendorff",
    ):
        assert needle in card, needle


def test_card_statistics_match_the_data(hibo_core, schema):
    card = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for name, split in hibo_core.items():
        counts = Counter(split["label"])
        cells = [str(counts[i]) for i in range(schema.num_classes)]
        row = (
            f"| {name} | {len(set(split['scenario']))} | "
            + " | ".join(cells)
            + f" | {len(split)} |"
        )
        assert row in card, row


def _copy_with(tmp_path: Path, line_number: int, change: dict) -> Path:
    target = tmp_path / "hibo_core"
    shutil.copytree(DATA_DIR, target)
    posts = (target / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(posts[line_number - 1])
    record.update(change)
    posts[line_number - 1] = json.dumps(record, ensure_ascii=False)
    (target / "posts.jsonl").write_text("\n".join(posts) + "\n", encoding="utf-8")
    return target


def test_a_broken_record_is_reported_with_file_line_field_and_allowed_values(tmp_path):
    folder = _copy_with(tmp_path, 5, {"target_type": "celebrity"})
    with pytest.raises(SchemaError) as info:
        load_dataset("hibo_core", data_dir=folder)
    message = str(info.value)
    assert f"{folder / 'posts.jsonl'}:5:" in message
    assert "field 'target_type' has value 'celebrity'" in message
    assert "'public_figure'" in message


def test_a_record_with_an_unknown_scenario_is_refused(tmp_path):
    folder = _copy_with(tmp_path, 3, {"scenario": "no-such-scenario"})
    with pytest.raises(SchemaError, match=r":3: field 'scenario' has value 'no-such-scenario'"):
        load_dataset("hibo_core", data_dir=folder)


SECOND_PASS = BUILD_SCRIPT.parent / "second_pass"
AGREEMENT_FIELDS = ("label", "illegal_subtypes", "harmful_subtypes")


def _second_pass_records(schema):
    from benchmark.annotation.agree import load_records

    files = [
        SECOND_PASS / "first_pass.jsonl",
        *sorted(SECOND_PASS.glob("batch*.annotator_*.jsonl")),
    ]
    records, fmt, _ = load_records(files, schema)
    return records, fmt


def test_second_pass_covers_300_items_each_labeled_by_the_author_and_one_other(schema):
    records, _ = _second_pass_records(schema)
    by_item: dict[str, list[str]] = {}
    for record in records:
        by_item.setdefault(record["item_id"], []).append(record["annotator"])
    assert len(by_item) >= 300
    assert all(len(a) == 2 and "author" in a for a in by_item.values())
    sampled = {
        json.loads(line)["item_id"]
        for path in SECOND_PASS.glob("*.items.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    assert sampled == set(by_item)


def test_shipped_labels_of_the_double_annotated_items_are_the_adjudicated_gold(schema, tmp_path):
    gold_path = tmp_path / "gold.jsonl"
    done = hibobench(
        "annotate", "adjudicate", str(SECOND_PASS / "first_pass.jsonl"),
        *map(str, sorted(SECOND_PASS.glob("batch*.annotator_*.jsonl"))),
        "--fields", ",".join(AGREEMENT_FIELDS),
        "--decisions", str(SECOND_PASS / "adjudication.jsonl"),
        "--out", str(gold_path),
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert gold_path.read_bytes() == (SECOND_PASS / "gold.jsonl").read_bytes()
    shipped = {
        post["id"]: post
        for post in map(
            json.loads, (DATA_DIR / "posts.jsonl").read_text(encoding="utf-8").splitlines()
        )
    }
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()]
    assert sum(g["gold_source"] == "adjudicated" for g in gold) > 0
    differing = [
        g["item_id"]
        for g in gold
        if any(_values(g[f]) != _values(shipped[g["item_id"]][f]) for f in AGREEMENT_FIELDS)
    ]
    assert not differing, differing


def _values(value):
    return set(value) if isinstance(value, list) else {value}


def test_card_reports_the_second_pass_alpha(schema):
    from benchmark.annotation.agree import compute_agreement

    records, fmt = _second_pass_records(schema)
    report = compute_agreement(records, ["label"], source="second pass", fmt=fmt)
    (label,) = report.fields
    card = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    stated = f"{label.alpha:.3f} [{label.alpha_ci.low:.3f}–{label.alpha_ci.high:.3f}]"
    assert stated in card, stated
