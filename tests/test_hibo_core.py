import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from datasets import ClassLabel, DatasetDict

from benchmark import SchemaError, load_dataset
from benchmark.resources import builtin_data_dir

DATA_DIR = builtin_data_dir("hibo_core")


def test_loads_as_dataset_dict_with_schema_class_labels(hibo_core, schema):
    assert isinstance(hibo_core, DatasetDict)
    assert set(hibo_core) == {"train", "test"}
    for split in hibo_core.values():
        feature = split.features["label"]
        assert isinstance(feature, ClassLabel) and tuple(feature.names) == schema.class_ids


def test_size_and_class_coverage(hibo_core, schema):
    rows = [row for split in hibo_core.values() for row in split]
    assert len(rows) >= 400
    per_class = Counter(schema.int2str(r["label"]) for r in rows)
    assert min(per_class[c] for c in schema.class_ids) >= 70, per_class
    illegal_subtypes = Counter(s for r in rows for s in r["illegal_subtypes"])
    assert set(illegal_subtypes) == set(schema.fields["illegal_subtypes"].value_ids)
    target_types = Counter(r["target_type"] for r in rows)
    assert set(target_types) == set(schema.fields["target_type"].value_ids)
    assert len({r["id"] for r in rows}) == len(rows)


def test_test_split_has_every_class(hibo_core, schema):
    per_class = Counter(hibo_core["test"]["label"])
    assert min(per_class[i] for i in range(schema.num_classes)) >= 15, per_class


def test_splits_are_scenario_disjoint(hibo_core):
    train = set(hibo_core["train"]["scenario"])
    test = set(hibo_core["test"]["scenario"])
    assert train and test and not train & test


def test_scenarios_hold_minimal_pairs_across_classes(hibo_core):
    classes: dict[str, set[int]] = {}
    for split in hibo_core.values():
        for scenario, label in zip(split["scenario"], split["label"], strict=True):
            classes.setdefault(scenario, set()).add(label)
    assert len(classes) >= 60
    assert all(len(labels) >= 2 for labels in classes.values())


def test_dataset_card_states_origin_guideline_version_and_license():
    card = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for needle in ("schema", "0.1", "CC BY 4.0", "fictional", "架空", "Limitations"):
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
