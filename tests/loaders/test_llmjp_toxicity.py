"""llmjp_toxicity: the LLM-jp Toxicity Dataset as the binary "actionable" view.

No copy of the dataset is in the shared data folder, so the tests read the invented rows in
tests/fixtures/llmjp_toxicity/ (same keys and values as the upstream JSONL files); the test on
the real file runs only where a copy exists (HIBOBENCH_SHARED_DATA/llmjp_toxicity).
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from datasets import ClassLabel, DatasetDict

from benchmark import load_dataset
from benchmark.cli_datasets import describe
from benchmark.errors import ConfigError, HiboBenchWarning, SchemaError
from benchmark.external import ChecksumMismatchError, DatasetUnavailableError
from benchmark.loaders import llmjp_toxicity
from benchmark.provenance import sha256_file
from benchmark.registry import dataset_files, get_spec
from benchmark.resources import conf_dir
from tests.loaders.support import pin_sha256

NAME = "llmjp_toxicity"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / NAME
V2 = "toxicity_dataset_ver2.jsonl"
V1 = "toxicity_dataset.jsonl"
FLAGS = ("obscene", "discriminatory", "violent", "illegal", "personal", "corporate", "others")

# Every native label, under each setting of the has_toxic_expression option (None = excluded).
EXPECTED_LABEL = {
    "exclude": {"toxic": "actionable", "nontoxic": "not_actionable", "has_toxic_expression": None},
    "actionable": {
        "toxic": "actionable",
        "nontoxic": "not_actionable",
        "has_toxic_expression": "actionable",
    },
    "not_actionable": {
        "toxic": "actionable",
        "nontoxic": "not_actionable",
        "has_toxic_expression": "not_actionable",
    },
}
# Every category flag set to yes on an actionable row → the subtype hints it adds.
EXPECTED_SUBTYPES = {
    "obscene": ["sexual"],
    "discriminatory": ["group_hate"],
    "violent": ["other"],
    "illegal": ["other"],
    "personal": ["privacy"],
    "corporate": [],
    "others": ["other"],
}


def fixture_rows(name: str = V2) -> list[dict]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def write_rows(folder: Path, rows: list[dict], name: str = V2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def by_id(data: DatasetDict) -> dict[str, dict]:
    return {row["id"]: row for row in data["test"]}


def test_loads_the_fixture_as_a_binary_actionable_test_split():
    data = load_dataset(NAME, data_dir=FIXTURES)
    assert isinstance(data, DatasetDict) and list(data) == ["test"]
    split = data["test"]
    feature = split.features["label"]
    assert isinstance(feature, ClassLabel) and feature.names == ["not_actionable", "actionable"]
    assert split.column_names == ["id", "text", "label", "native_label", "categories", "subtypes"]
    natives = Counter(r["label"] for r in fixture_rows())
    assert len(split) == natives["toxic"] + natives["nontoxic"]
    assert "2 rows excluded" in split.info.description
    assert "has_toxic_expression" in split.info.description


@pytest.mark.parametrize("option", sorted(EXPECTED_LABEL))
def test_every_native_label_maps_as_documented(option):
    data = by_id(load_dataset(NAME, data_dir=FIXTURES, has_toxic_expression=option))
    names = ["not_actionable", "actionable"]
    for raw in fixture_rows():
        expected = EXPECTED_LABEL[option][raw["label"]]
        row = data.get(str(raw["id"]))
        if expected is None:
            assert row is None, raw["id"]
        else:
            assert names[row["label"]] == expected, raw["id"]
            assert row["native_label"] == raw["label"]
            assert row["text"] == raw["text"]  # kept exactly as given


def test_the_spec_is_where_the_mapping_lives():
    rules = llmjp_toxicity.label_rules(get_spec(NAME))
    assert {n: r.label for n, r in rules.items()} == EXPECTED_LABEL["exclude"]
    assert rules["has_toxic_expression"].bucket == "has_toxic_expression"
    flags = llmjp_toxicity.flag_rules(get_spec(NAME))
    assert {f: list(r.subtypes) for f, r in flags.items()} == EXPECTED_SUBTYPES
    assert tuple(flags) == FLAGS


def test_subtype_hints_follow_the_flags_of_actionable_rows_only():
    rows = fixture_rows()
    data = by_id(load_dataset(NAME, data_dir=FIXTURES))
    seen_flags = set()
    for raw in rows:
        row = data.get(str(raw["id"]))
        if row is None:
            continue
        flags = [f for f in FLAGS if raw[f] == "yes"]
        assert row["categories"] == flags
        seen_flags.update(flags)
        if raw["label"] == "toxic":
            assert row["subtypes"] == sorted({s for f in flags for s in EXPECTED_SUBTYPES[f]})
        else:  # e.g. nontoxic documents with contact details carry personal/corporate = yes
            assert row["subtypes"] == []
    assert seen_flags == set(FLAGS)
    assert data["10"]["categories"] == ["personal"] and data["10"]["subtypes"] == []


def test_v1_is_read_with_the_file_option():
    data = load_dataset(NAME, data_dir=FIXTURES, file="v1", has_toxic_expression="actionable")
    assert [r["id"] for r in data["test"]] == [str(r["id"]) for r in fixture_rows(V1)]
    assert dataset_files(NAME, data_dir=FIXTURES, file="v1") == [FIXTURES / V1]
    assert dataset_files(NAME, data_dir=FIXTURES) == [FIXTURES / V2]
    assert len(load_dataset(NAME, data_dir=FIXTURES, file=V1)["test"]) == 2


def test_the_hydra_config_options_are_the_loader_defaults():
    config = yaml.safe_load((conf_dir() / "dataset" / f"{NAME}.yaml").read_text("utf-8"))
    assert config["name"] == NAME
    options = {**config["options"], "data_dir": FIXTURES}
    assert len(load_dataset(NAME, **options)["test"]) == len(
        load_dataset(NAME, data_dir=FIXTURES)["test"]
    )


def test_missing_data_fails_fast_naming_folder_source_and_licence(tmp_path):
    start = time.perf_counter()
    with pytest.raises(DatasetUnavailableError) as err:
        load_dataset(NAME, data_dir=tmp_path / "nowhere")
    assert time.perf_counter() - start < 1.0
    message = str(err.value)
    assert str(tmp_path / "nowhere") in message and V2 in message
    assert "gitlab.llm-jp.nii.ac.jp" in message and "CC BY 4.0" in message


def test_missing_data_fails_fast_from_the_environment_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HIBOBENCH_DATA_DIR", str(tmp_path))
    with pytest.raises(DatasetUnavailableError, match=str(tmp_path / "llmjp_toxicity")):
        load_dataset(NAME)


def test_checksum_mismatch_is_an_error_unless_accepted(tmp_path, monkeypatch):
    pin_sha256(monkeypatch, NAME, V2, sha256_file(FIXTURES / V2))
    assert len(load_dataset(NAME, data_dir=FIXTURES)["test"]) > 0  # pinned and equal: fine
    shutil.copy(FIXTURES / V2, tmp_path / V2)
    data = bytearray((tmp_path / V2).read_bytes())
    data[data.index(b"nontoxic") + 3] = ord("T")  # "nonToxic": one byte altered
    (tmp_path / V2).write_bytes(bytes(data))
    with pytest.raises(ChecksumMismatchError, match="accept_checksum_mismatch"):
        load_dataset(NAME, data_dir=tmp_path)
    with (
        pytest.warns(HiboBenchWarning, match="sha256"),
        pytest.raises(SchemaError, match="nonToxic"),
    ):
        load_dataset(NAME, data_dir=tmp_path, accept_checksum_mismatch=True)


def test_accepted_checksum_mismatch_loads_with_a_warning(tmp_path, monkeypatch):
    expected = load_dataset(NAME, data_dir=FIXTURES)["test"]["id"]
    pin_sha256(monkeypatch, NAME, V2, "0" * 64)
    shutil.copy(FIXTURES / V2, tmp_path / V2)
    with pytest.warns(HiboBenchWarning, match="expects 0000"):
        data = load_dataset(NAME, data_dir=tmp_path, accept_checksum_mismatch=True)
    assert data["test"]["id"] == expected


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"label": "Toxic"}, r":2: field 'label' has value 'Toxic'; allowed values are"),
        (
            {"obscene": "true"},
            r":2: field 'obscene' has value 'true'; allowed values are \['yes', 'no'\]",
        ),
        ({"id": 0}, r":2: id '0' already used on line 1"),
        ({"text": None}, r":2: field 'text' is NoneType"),
    ],
)
def test_bad_rows_name_file_line_field_and_expected(tmp_path, change, match):
    rows = fixture_rows()[:3]
    rows[1] = {**rows[1], **change}
    write_rows(tmp_path, rows)
    with pytest.raises(SchemaError, match=match):
        load_dataset(NAME, data_dir=tmp_path)


def test_a_missing_flag_is_an_error(tmp_path):
    rows = fixture_rows()[:2]
    del rows[1]["corporate"]
    path = write_rows(tmp_path, rows)
    with pytest.raises(SchemaError, match=rf"{path}:2: required field 'corporate' is missing"):
        load_dataset(NAME, data_dir=tmp_path)


def test_bad_options_are_config_errors():
    with pytest.raises(ConfigError, match="has_toxic_expression is 'drop'"):
        load_dataset(NAME, data_dir=FIXTURES, has_toxic_expression="drop")
    with pytest.raises(ConfigError, match="file is 'v3'; expected one of"):
        load_dataset(NAME, data_dir=FIXTURES, file="v3")
    with pytest.raises(ConfigError, match=r"unknown option\(s\) \['view'\]"):
        load_dataset(NAME, data_dir=FIXTURES, view="folds")


def test_show_lists_every_rule_and_the_card():
    text = describe(get_spec(NAME))
    for native in ("toxic", "nontoxic", "has_toxic_expression", *(f"{f}=yes" for f in FLAGS)):
        assert f"| {native} |" in text
    assert "excluded (has_toxic_expression)" in text
    assert "There is no criticism class" in text  # from the card


def test_real_file_when_available(shared_data_dir):
    folder = shared_data_dir / NAME
    if not (folder / V2).is_file():
        pytest.skip(f"no copy of the LLM-jp Toxicity Dataset at {folder}")
    data = load_dataset(NAME, data_dir=folder, has_toxic_expression="actionable")
    assert len(data["test"]) > 1000
