"""textdetox_ja: the ja split of textdetox/multilingual_toxicity_dataset, binary "actionable".

No copy is in the shared data folder, so the tests read invented rows in the export formats the
card documents (tests/fixtures/textdetox_ja/ja.jsonl and ja.csv; the Parquet export is written
by the tests with datasets' own to_parquet). The hub is never contacted.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import datasets
import pytest
import yaml
from datasets import ClassLabel, Dataset

from benchmark import load_dataset
from benchmark.cli_datasets import describe
from benchmark.errors import ConfigError, HiboBenchWarning, SchemaError
from benchmark.external import ChecksumMismatchError, DatasetUnavailableError
from benchmark.registry import dataset_files, get_spec
from benchmark.resources import conf_dir
from tests.loaders.support import pin_sha256

NAME = "textdetox_ja"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / NAME
EXPECTED = {0: "not_actionable", 1: "actionable"}  # every native value of `toxic`


def fixture_rows() -> list[dict]:
    lines = (FIXTURES / "ja.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def export_parquet(folder: Path, rows: list[dict] | None = None) -> Path:
    """The export the card documents: datasets' to_parquet of the split."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ja.parquet"
    Dataset.from_list(rows if rows is not None else fixture_rows()).to_parquet(str(path))
    return path


def only(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / name, folder / name)
    return folder


@pytest.mark.parametrize("export", ["ja.parquet", "ja.jsonl", "ja.csv"])
def test_each_export_format_loads_the_same_rows(tmp_path, export):
    folder = tmp_path / "data"
    if export == "ja.parquet":
        export_parquet(folder)
    else:
        only(folder, export)
    data = load_dataset(NAME, data_dir=folder)
    assert list(data) == ["test"]
    split = data["test"]
    feature = split.features["label"]
    assert isinstance(feature, ClassLabel) and feature.names == ["not_actionable", "actionable"]
    rows = fixture_rows()
    assert split["id"] == [f"textdetox-ja-{i}" for i in range(len(rows))]
    assert split["text"] == [r["text"] for r in rows]
    assert split["toxic"] == [r["toxic"] for r in rows]
    assert dataset_files(NAME, data_dir=folder) == [folder / export]
    assert export in split.info.description and "no rows excluded" in split.info.description


def test_every_native_value_maps_as_documented():
    rules = {r.native: r.label for m in get_spec(NAME).mappings for r in m.rules}
    assert rules == {str(k): v for k, v in EXPECTED.items()}
    split = load_dataset(NAME, data_dir=FIXTURES)["test"]
    names = split.features["label"].names
    assert {0, 1} == set(split["toxic"])
    for row in split:
        assert names[row["label"]] == EXPECTED[row["toxic"]], row["id"]


def test_parquet_is_preferred_over_the_other_exports(tmp_path):
    folder = only(tmp_path, "ja.csv")
    export_parquet(folder, fixture_rows()[:2])
    assert len(load_dataset(NAME, data_dir=folder)["test"]) == 2
    assert dataset_files(NAME, data_dir=folder) == [folder / "ja.parquet"]


def test_the_hydra_config_options_are_the_loader_defaults():
    config = yaml.safe_load((conf_dir() / "dataset" / f"{NAME}.yaml").read_text("utf-8"))
    assert config["name"] == NAME and config["options"]["from_hub"] is False
    options = {**config["options"], "data_dir": FIXTURES}
    assert len(load_dataset(NAME, **options)["test"]) == len(fixture_rows())


def test_missing_export_fails_fast_with_the_export_command(tmp_path):
    start = time.perf_counter()
    with pytest.raises(DatasetUnavailableError) as err:
        load_dataset(NAME, data_dir=tmp_path)
    assert time.perf_counter() - start < 1.0
    message = str(err.value)
    assert str(tmp_path) in message and "ja.parquet" in message
    assert "huggingface.co/datasets/textdetox/multilingual_toxicity_dataset" in message
    assert "to_parquet('ja.parquet')" in message and "OpenRAIL++" in message
    assert dataset_files(NAME, data_dir=tmp_path) == []


def test_from_hub_is_refused_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def no_hub(*args, **kwargs):
        raise AssertionError("the hub must not be called offline")

    monkeypatch.setattr(datasets, "load_dataset", no_hub)
    with pytest.raises(DatasetUnavailableError, match="offline"):
        load_dataset(NAME, data_dir=tmp_path, from_hub=True)


def test_from_hub_downloads_the_ja_split_at_the_spec_revision(tmp_path, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_DATASETS_OFFLINE", raising=False)
    calls = []

    def fake_hub(path, **kwargs):
        calls.append((path, kwargs))
        return Dataset.from_list(fixture_rows())

    monkeypatch.setattr(datasets, "load_dataset", fake_hub)
    with pytest.warns(HiboBenchWarning, match="pins none"):  # revision not pinned yet
        data = load_dataset(NAME, data_dir=tmp_path, from_hub=True)
    assert calls == [("textdetox/multilingual_toxicity_dataset", {"split": "ja", "revision": None})]
    assert data["test"]["id"] == load_dataset(NAME, data_dir=FIXTURES)["test"]["id"]
    assert "unpinned" in data["test"].info.description


@pytest.mark.parametrize(
    ("toxic", "match"),
    [
        (2, r"ja.jsonl:2: field 'toxic' has value 2; allowed values are 0 and 1"),
        ("yes", r"ja.jsonl:2: field 'toxic' has value 'yes'"),
        (True, r"ja.jsonl:2: field 'toxic' has value True"),
    ],
)
def test_bad_values_name_file_line_and_allowed_values(tmp_path, toxic, match):
    rows = fixture_rows()[:3]
    rows[1]["toxic"] = toxic
    (tmp_path / "ja.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8"
    )
    with pytest.raises(SchemaError, match=match):
        load_dataset(NAME, data_dir=tmp_path)


def test_a_missing_column_is_an_error(tmp_path):
    (tmp_path / "ja.csv").write_text("sentence,toxic\nこんにちは,0\n", "utf-8")
    with pytest.raises(SchemaError, match=r"ja.csv:2: field 'text' is missing"):
        load_dataset(NAME, data_dir=tmp_path)


def test_unknown_options_are_config_errors():
    with pytest.raises(ConfigError, match=r"unknown option\(s\) \['split'\]"):
        load_dataset(NAME, data_dir=FIXTURES, split="ja")


def test_checksum_mismatch_is_an_error_unless_accepted(tmp_path, monkeypatch):
    expected = load_dataset(NAME, data_dir=FIXTURES)["test"]["id"]
    pin_sha256(monkeypatch, NAME, "ja.jsonl", "0" * 64)  # upstream is not pinned yet, see the card
    only(tmp_path, "ja.jsonl")
    with pytest.raises(ChecksumMismatchError, match="accept_checksum_mismatch"):
        load_dataset(NAME, data_dir=tmp_path)
    with pytest.warns(HiboBenchWarning, match="sha256"):
        data = load_dataset(NAME, data_dir=tmp_path, accept_checksum_mismatch=True)
    assert data["test"]["id"] == expected


def test_show_lists_the_rules():
    text = describe(get_spec(NAME))
    assert "| 1 | actionable |" in text and "| 0 | not_actionable |" in text
    assert "hub textdetox/multilingual_toxicity_dataset" in text


def test_real_export_when_available(shared_data_dir):
    folder = shared_data_dir / NAME
    if not any((folder / n).is_file() for n in ("ja.parquet", "ja.jsonl", "ja.csv")):
        pytest.skip(f"no export of the TextDetox ja split at {folder}")
    assert len(load_dataset(NAME, data_dir=folder)["test"]) == 5000
