"""local: a user's own CSV / TSV / JSONL / Parquet file with four-way labels."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from datasets import ClassLabel, Dataset
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from benchmark import load_dataset
from benchmark.errors import ConfigError, SchemaError
from benchmark.external import DatasetUnavailableError
from benchmark.registry import dataset_files, get_spec
from benchmark.resources import conf_dir

NAME = "local"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / NAME
POSTS = {  # id -> (label class id, native label) of tests/fixtures/local/posts.*
    "p1": ("illegal", "違法"),
    "p2": ("harmful", "有害"),
    "p3": ("criticism", "批判"),
    "p4": ("none", "該当なし"),
    "p5": ("none", "none"),
    "p6": ("criticism", "criticism"),
}


def csv_rows() -> list[dict]:
    data = load_dataset(NAME, path=FIXTURES / "posts.csv")["test"]
    return [{**row, "label": data.features["label"].int2str(row["label"])} for row in data]


def check_posts(data, schema) -> None:
    assert list(data) == ["test"]
    split = data["test"]
    feature = split.features["label"]
    assert isinstance(feature, ClassLabel) and tuple(feature.names) == schema.class_ids
    assert split.column_names == ["id", "text", "label", "native_label"]
    got = {r["id"]: (feature.int2str(r["label"]), r["native_label"]) for r in split}
    assert got == POSTS


@pytest.mark.parametrize("name", ["posts.csv", "posts.tsv", "posts.jsonl", "posts_bom.csv"])
def test_each_text_format_loads_the_same_rows(name, schema):
    data = load_dataset(NAME, path=FIXTURES / name)
    check_posts(data, schema)
    assert [dict(r) for r in data["test"]] == [
        {**r, "label": schema.str2int(r["label"])} for r in csv_rows()
    ]
    assert dataset_files(NAME, path=FIXTURES / name) == [FIXTURES / name]


def test_parquet_loads_the_same_rows(tmp_path, schema):
    path = tmp_path / "posts.parquet"
    Dataset.from_list([{**r, "label": r["native_label"]} for r in csv_rows()]).remove_columns(
        "native_label"
    ).to_parquet(str(path))
    check_posts(load_dataset(NAME, path=path), schema)


def test_texts_are_kept_exactly_as_given(tmp_path):
    texts = ["ＡＢＣ全角 ｶﾀｶﾅ半角", '引用符 "を含む", カンマ', "改行を\n含む", "  前後の空白  "]
    path = tmp_path / "posts.jsonl"
    path.write_text(
        "".join(json.dumps({"text": t, "label": "none"}, ensure_ascii=False) + "\n" for t in texts),
        "utf-8",
    )
    assert load_dataset(NAME, path=path)["test"]["text"] == texts
    csv_path = tmp_path / "posts.csv"
    Dataset.from_list([{"text": t, "label": "none"} for t in texts]).to_csv(str(csv_path))
    assert load_dataset(NAME, path=csv_path)["test"]["text"] == texts


def test_every_default_alias_maps_as_the_spec_says(schema):
    rules = {r.native: r.label for m in get_spec(NAME).mappings for r in m.rules}
    assert rules == {"違法": "illegal", "有害": "harmful", "批判": "criticism", "該当なし": "none"}
    # POSTS holds every alias and class ids: each row checked against its expected class
    assert {native for _, native in POSTS.values()} >= set(rules)


def test_class_ids_are_always_accepted(tmp_path, schema):
    path = tmp_path / "ids.csv"
    path.write_text(
        "text,label\n" + "".join(f"t{i}, {c} \n" for i, c in enumerate(schema.class_ids)), "utf-8"
    )
    split = load_dataset(NAME, path=path)["test"]
    assert [split.features["label"].int2str(i) for i in split["label"]] == list(schema.class_ids)
    assert split["text"] == [f"t{i}" for i in range(len(schema.class_ids))]


def test_own_columns_label_map_and_generated_ids():
    data = load_dataset(
        NAME,
        path=FIXTURES / "scores.csv",
        text_column="本文",
        label_column="判定",
        label_map={0: "none", "1": "harmful", 2: "illegal"},
        unmapped="exclude",
        split="eval",
    )
    split = data["eval"]
    assert split["id"] == ["row-1", "row-2", "row-3"]
    assert [split.features["label"].int2str(i) for i in split["label"]] == [
        "illegal",
        "none",
        "harmful",
    ]
    assert "ids are 'row-<n>'" in split.info.description
    assert "1 rows with unmapped labels excluded ({'9': 1})" in split.info.description


def test_an_unmapped_label_names_file_line_value_and_fix():
    with pytest.raises(SchemaError) as err:
        load_dataset(
            NAME,
            path=FIXTURES / "scores.csv",
            text_column="本文",
            label_column="判定",
            label_map={0: "none", 1: "harmful", 2: "illegal"},
        )
    message = str(err.value)
    assert f"{FIXTURES / 'scores.csv'}:5: field '判定' has value '9'" in message
    assert "'criticism'" in message and "'該当なし'" in message  # the allowed values
    assert "dataset.options.label_map" in message and "unmapped=exclude" in message


def test_unknown_labels_without_a_map_are_errors(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("id\ttext\tlabel\na\tこんにちは\t違法\nb\tこんにちは\t名誉毀損\n", "utf-8")
    with pytest.raises(SchemaError, match=rf"{path}:3: field 'label' has value '名誉毀損'"):
        load_dataset(NAME, path=path)


def test_cp932_file_read_as_utf8_fails_with_the_iconv_hint(tmp_path, schema):
    path = tmp_path / "sjis.csv"
    path.write_bytes((FIXTURES / "posts.csv").read_text("utf-8").encode("cp932"))
    with pytest.raises(SchemaError) as err:
        load_dataset(NAME, path=path)
    message = str(err.value)
    assert message.startswith(f"{path}:2: the file is not UTF-8")
    assert "iconv -f CP932 -t UTF-8 sjis.csv" in message and "encoding=cp932" in message
    check_posts(load_dataset(NAME, path=path, encoding="cp932"), schema)


def test_a_wrong_explicit_encoding_names_the_line(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_bytes(b"text,label\nabc\x81 ,none\n")  # 0x81 0x20 is no CP932 character
    with pytest.raises(SchemaError, match=rf"{path}:2: byte 0x81 cannot be decoded as cp932"):
        load_dataset(NAME, path=path, encoding="cp932")
    with pytest.raises(ConfigError, match="encoding is 'klingon'"):
        load_dataset(NAME, path=path, encoding="klingon")


def test_missing_path_says_what_to_set():
    with pytest.raises(ConfigError, match=r"set dataset\.options\.path"):
        load_dataset(NAME)
    with pytest.raises(ConfigError, match=r"set dataset\.options\.path"):  # provenance too
        dataset_files(NAME)


def test_a_file_that_is_not_there_fails_fast(tmp_path):
    start = time.perf_counter()
    with pytest.raises(DatasetUnavailableError, match=rf"{tmp_path / 'nope.csv'} does not exist"):
        load_dataset(NAME, path=tmp_path / "nope.csv")
    assert time.perf_counter() - start < 1.0
    with pytest.raises(DatasetUnavailableError, match="is a directory"):
        load_dataset(NAME, path=tmp_path)


def test_relative_paths_are_read_from_data_dir(schema):
    check_posts(load_dataset(NAME, path="posts.jsonl", data_dir=FIXTURES), schema)


@pytest.mark.parametrize(
    ("content", "options", "error", "match"),
    [
        ("text,label\nこんにちは,none\n", {"format": "xml"}, ConfigError, "format is 'xml'"),
        ("body,label\nこんにちは,none\n", {}, SchemaError, r"column 'text' not found; the file has columns \['body', 'label'\]. Set dataset.options.text_column"),
        ("id,text,label\na,こんにちは,none\na,こんばんは,none\n", {}, SchemaError, r":3: id 'a' already used at .*:2"),
        ("id,text,label\na,こんにちは,none,extra\n", {}, SchemaError, r":2: row has 4 fields but the header has 3"),
        ("text,label\n,none\n", {}, SchemaError, r":2: field 'text' is ''; expected a non-empty string"),
        ("text,label\nこんにちは,none\n", {"unmapped": "drop"}, ConfigError, "unmapped is 'drop'"),
        ("text,label\nこんにちは,none\n", {"label_map": {"x": "toxic"}}, ConfigError, r"maps 'x' to 'toxic', which is not a class id"),
        ("text,label\nこんにちは,none\n", {"view": "folds"}, ConfigError, r"unknown option\(s\) \['view'\]"),
    ],
)  # fmt: skip
def test_bad_input_is_reported_with_the_fix(tmp_path, content, options, error, match):
    path = tmp_path / "posts.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(error, match=match):
        load_dataset(NAME, path=path, **options)


def test_format_from_option_and_unknown_suffix(tmp_path, schema):
    path = tmp_path / "posts.txt"
    path.write_bytes((FIXTURES / "posts.tsv").read_bytes())
    with pytest.raises(ConfigError, match=r"cannot tell the format from the suffix '.txt'"):
        load_dataset(NAME, path=path)
    check_posts(load_dataset(NAME, path=path, format="tsv"), schema)


def test_jsonl_records_must_agree_on_ids(tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text(
        '{"id": "a", "text": "x", "label": "none"}\n{"text": "y", "label": "none"}\n', "utf-8"
    )
    with pytest.raises(SchemaError, match=r":2: field 'id' is missing but the first record has it"):
        load_dataset(NAME, path=path)


def test_the_hydra_config_needs_the_path_and_its_defaults_load_the_fixture(schema):
    config = yaml.safe_load((conf_dir() / "dataset" / "local.yaml").read_text("utf-8"))
    assert config["name"] == NAME and config["options"]["path"] == "???"
    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        cfg = compose(
            config_name="config",
            overrides=["dataset=local", f"dataset.options.path={FIXTURES / 'posts.csv'}"],
        )
    options = OmegaConf.to_container(cfg.dataset.options, resolve=True, throw_on_missing=True)
    check_posts(load_dataset(NAME, **options), schema)
