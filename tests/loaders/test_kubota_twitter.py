"""kubota_twitter: kubota/defamation-japanese-twitter (ids + 3 annotations) as the binary
"illegal" view, joined with a user-supplied texts.csv.

Two kinds of data: invented ids and answers in the upstream JSON layout written to tmp_path
(loaded with accept_checksum_mismatch=True), and the real label files from the shared data folder
(HIBOBENCH_SHARED_DATA/kubota_defamation_twitter) joined with a texts.csv of invented texts for
real ids. Tests on the real files skip where the folder is absent.
"""

from __future__ import annotations

import csv
import json
import shutil
import time
from pathlib import Path

import pytest
from datasets import ClassLabel, DatasetDict

from benchmark import load_dataset
from benchmark.cli_datasets import describe
from benchmark.errors import ConfigError, HiboBenchWarning, SchemaError
from benchmark.external import ChecksumMismatchError, DatasetUnavailableError
from benchmark.loaders._tables import exclusion_counts
from benchmark.registry import REGISTRY, dataset_files, get_spec
from tests.loaders.support import unavailable_message

NAME = "kubota_twitter"
FOLDER = "kubota_defamation_twitter"
JSON_FILES = ("data_twitter.json", "train_twitter.json", "test_twitter.json")

# Every label code, given by all three annotators → (label or excluded bucket, subtypes).
EXPECTED_CODE = {
    "B1": ("illegal", ["threat"]),
    "B2": ("illegal", ["insult"]),
    "B3": ("illegal", ["defamation"]),
    "B4": ("not_illegal", []),
    "C": ("unintelligible", []),
}
# Every target code → the cap it puts on an illegal vote with require_individual_target.
EXPECTED_TARGET_CAP = {"A1": "not_illegal", "A2": "illegal", "A3": "not_illegal", "C": None}


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def write_texts(path: Path, rows: list[list[str]], *, bom: bool = False, header=("id", "text")):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_upstream(folder: Path, answers: dict[str, tuple[list[str], list[str]]], test_ids=()):
    """data_twitter.json and the two split files for invented ids: id → (labels, targets)."""
    data = {
        i: {"target": targets, "label": labels, "user_id_list": [1, 2, 3]}
        for i, (labels, targets) in answers.items()
    }
    write_json(folder / "data_twitter.json", data)
    for name, keep in (("train_twitter.json", False), ("test_twitter.json", True)):
        split = {
            i: {"resA_label": v["target"], "resB_label": v["label"], "user_id_list": v["user_id_list"]}
            for i, v in data.items()
            if (i in test_ids) == keep
        }  # fmt: skip
        write_json(folder / name, split)


def load_unpinned(folder: Path, **options) -> DatasetDict:
    """Load invented upstream files (their sha256 is not the pinned one, which warns)."""
    with pytest.warns(HiboBenchWarning, match="sha256"):
        return load_dataset(NAME, data_dir=folder, accept_checksum_mismatch=True, **options)


def by_id(data: DatasetDict) -> dict[str, dict]:
    return {r["id"]: {**r, "split": split} for split in data for r in data[split]}


def label_of(data: DatasetDict, row: dict) -> str:
    return data[row["split"]].features["label"].int2str(row["label"])


def fake_id(n: int) -> str:
    return str(1000000000000000000 + n)


# ---- the mapping, row by row, on invented ids -------------------------------------------------


def test_every_label_code_maps_as_the_spec_says(tmp_path):
    answers = {fake_id(i): ([code] * 3, ["A2"] * 3) for i, code in enumerate(EXPECTED_CODE)}
    write_upstream(tmp_path, answers)
    write_texts(tmp_path / "texts.csv", [[i, f"創作ツイート{i}"] for i in answers])
    data = load_unpinned(tmp_path, require_individual_target=False)
    rows = by_id(data)
    for i, (code, (expected, subtypes)) in enumerate(EXPECTED_CODE.items()):
        tweet_id = fake_id(i)
        if expected == "unintelligible":
            assert tweet_id not in rows
            continue
        assert label_of(data, rows[tweet_id]) == expected, code
        assert rows[tweet_id]["subtypes"] == subtypes and rows[tweet_id]["native_label"] == code
        assert rows[tweet_id][f"soft_{code}"] == 1.0
    counts = exclusion_counts(data["train"].info)
    assert counts["excluded"] == {"unintelligible": 1} and counts["missing_texts"] == 0
    spec_rules = {r.native: (r.label or r.bucket, list(r.subtypes)) for r in get_spec(NAME).mappings[0].rules}  # fmt: skip
    assert spec_rules == EXPECTED_CODE
    caps = {r.native: r.label for r in get_spec(NAME).mappings[1].rules}
    assert caps == EXPECTED_TARGET_CAP


def test_majority_over_mapped_answers(tmp_path):
    cases = {
        # labels, targets → (label or bucket, subtypes, native_label, target)
        fake_id(1): (["B2", "B3", "B4"], ["A1", "A1", "A3"], "illegal", ["insult", "defamation"], "", "A1"),
        fake_id(2): (["B3", "B1", "B2"], ["A2", "A2", "A1"], "illegal", ["threat", "insult", "defamation"], "", "A2"),
        fake_id(3): (["B3", "B3", "B1"], ["A3", "A2", "A1"], "illegal", ["defamation", "threat"], "B3", ""),
        fake_id(4): (["B2", "B4", "C"], ["A1", "A1", "A1"], "no_majority", [], "", "A1"),
        fake_id(5): (["B4", "B4", "C"], ["A3", "A3", "C"], "not_illegal", [], "B4", "A3"),
        fake_id(6): (["C", "C", "B2"], ["C", "C", "A2"], "unintelligible", [], "C", "C"),
        fake_id(7): (["B1", "B1", "C"], ["C", "C", "A2"], "illegal", ["threat"], "B1", "C"),
    }  # fmt: skip
    write_upstream(tmp_path, {i: (c[0], c[1]) for i, c in cases.items()}, test_ids={fake_id(2)})
    write_texts(tmp_path / "texts.csv", [[i, f"創作ツイート{i}"] for i in cases])
    data = load_unpinned(tmp_path, require_individual_target=False)
    rows = by_id(data)
    for tweet_id, (labels, targets, expected, subtypes, native, target) in cases.items():
        if expected in ("no_majority", "unintelligible"):
            assert tweet_id not in rows, tweet_id
            continue
        row = rows[tweet_id]
        assert label_of(data, row) == expected, tweet_id
        assert (row["subtypes"], row["native_label"], row["target"]) == (subtypes, native, target)
        assert row["annotations"] == labels and row["target_annotations"] == targets
        assert row["soft_illegal"] == pytest.approx(
            sum(x in ("B1", "B2", "B3") for x in labels) / 3
        )
    assert rows[fake_id(2)]["split"] == "test"
    assert exclusion_counts(data["train"].info)["excluded"] == {
        "no_majority": 1, "unintelligible": 1,
    }  # fmt: skip
    # the default, require_individual_target: only the A2-target illegal row stays illegal;
    # C target excluded
    capped = load_unpinned(tmp_path)
    rows = by_id(capped)
    assert label_of(capped, rows[fake_id(2)]) == "illegal"
    for tweet_id in (fake_id(1), fake_id(3)):
        assert (
            label_of(capped, rows[tweet_id]) == "not_illegal" and rows[tweet_id]["subtypes"] == []
        )
    assert fake_id(7) not in rows
    counts = exclusion_counts(capped["train"].info)
    assert counts["capped_to_not_illegal"] == 2
    assert counts["excluded"]["unintelligible_target"] == 1


def test_the_loader_applies_the_mapping_from_the_spec(tmp_path, monkeypatch):
    write_upstream(tmp_path, {fake_id(1): (["B4"] * 3, ["A1"] * 3)})
    write_texts(tmp_path / "texts.csv", [[fake_id(1), "創作"]])
    spec = get_spec(NAME)
    labels = spec.mappings[0]
    changed = labels.model_copy(
        update={"rules": tuple(
            r.model_copy(update={"label": "illegal", "subtypes": ("other_rights",)})
            if r.native == "B4" else r for r in labels.rules
        )}
    )  # fmt: skip
    monkeypatch.setitem(
        REGISTRY, NAME, spec.model_copy(update={"mappings": (changed, spec.mappings[1])})
    )
    row = load_unpinned(tmp_path, require_individual_target=False)["train"][0]
    assert row["label"] == 1 and row["subtypes"] == ["other_rights"]


# ---- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({fake_id(1): {"target": ["A1"] * 3, "label": ["B5", "B4", "B4"], "user_id_list": [1, 2, 3]}},
         r"data_twitter.json, id 1000000000000000001: field 'label' has code\(s\) \['B5'\]; expected one of \['B1', 'B2', 'B3', 'B4', 'C'\]"),
        ({fake_id(1): {"target": ["A1"] * 2, "label": ["B4"] * 3, "user_id_list": [1, 2, 3]}},
         r"field 'target' should be a list of 3 codes"),
        ([1, 2], r"expected a JSON object"),
    ],
)  # fmt: skip
def test_bad_annotations_raise_schema_errors(tmp_path, data, match):
    write_upstream(tmp_path, {fake_id(1): (["B4"] * 3, ["A1"] * 3)})
    write_json(tmp_path / "data_twitter.json", data)
    write_texts(tmp_path / "texts.csv", [[fake_id(1), "創作"]])
    with pytest.raises(SchemaError, match=match):
        load_unpinned(tmp_path)


def test_split_files_must_repeat_the_annotations(tmp_path):
    write_upstream(tmp_path, {fake_id(1): (["B4"] * 3, ["A1"] * 3)})
    write_json(
        tmp_path / "train_twitter.json",
        {
            fake_id(1): {
                "resA_label": ["A1"] * 3,
                "resB_label": ["B2"] * 3,
                "user_id_list": [1, 2, 3],
            }
        },
    )
    write_texts(tmp_path / "texts.csv", [[fake_id(1), "創作"]])
    with pytest.raises(SchemaError, match=r"train_twitter.json, id 1000000000000000001: .*differ"):
        load_unpinned(tmp_path)


@pytest.mark.parametrize(
    ("rows", "header", "match"),
    [
        ([["1.00000000000000E+18", "x"]], ("id", "text"), r"texts.csv:2: field 'id' should be a numeric tweet id.*1.49E\+18"),
        ([[fake_id(1), "a", "extra"]], ("id", "text"), r"texts.csv:2: expected 2 fields"),
        ([[fake_id(1), "a"], [fake_id(1), "b"]], ("id", "text"), r"texts.csv:3: id 1000000000000000001 already has a different text on line 2"),
        ([[fake_id(1), "a"]], ("tweet_id", "text"), r"texts.csv:1: header should have the columns id and text"),
    ],
)  # fmt: skip
def test_bad_texts_raise_schema_errors(tmp_path, rows, header, match):
    write_upstream(tmp_path, {fake_id(1): (["B4"] * 3, ["A1"] * 3)})
    write_texts(tmp_path / "texts.csv", rows, header=header)
    with pytest.raises(SchemaError, match=match):
        load_unpinned(tmp_path)


def test_texts_file_that_is_not_utf8(tmp_path):
    write_upstream(tmp_path, {fake_id(1): (["B4"] * 3, ["A1"] * 3)})
    (tmp_path / "texts.csv").write_bytes(
        f"id,text\n{fake_id(1)},".encode() + "創作".encode("cp932")
    )
    with pytest.raises(SchemaError, match="not UTF-8"):
        load_unpinned(tmp_path)


def test_unknown_option_is_a_config_error(tmp_path):
    write_upstream(tmp_path, {fake_id(1): (["B4"] * 3, ["A1"] * 3)})
    write_texts(tmp_path / "texts.csv", [[fake_id(1), "創作"]])
    with pytest.raises(ConfigError, match=r"unknown option.*'text_file'.*texts_file"):
        load_dataset(NAME, data_dir=tmp_path, text_file="x.csv")


# ---- availability and checksums ---------------------------------------------------------------


def test_missing_label_files_fail_fast_naming_folder_source_and_licence(tmp_path, monkeypatch):
    message = unavailable_message(NAME, tmp_path, monkeypatch)
    assert FOLDER in message and "data_twitter.json" in message and "test_twitter.json" in message
    assert "github.com/kubotaissei/defamation_japanese_twitter" in message
    assert "CC BY 4.0" in message and "hydrate" in message
    folder = tmp_path / FOLDER
    assert dataset_files(NAME) == [*(folder / n for n in JSON_FILES), folder / "texts.csv"]
    assert dataset_files(NAME, texts_file="/x/t.csv")[-1] == Path("/x/t.csv")


def test_missing_texts_file_fails_fast_and_explains_hydration(tmp_path):
    write_upstream(tmp_path, {fake_id(1): (["B4"] * 3, ["A1"] * 3)})
    start = time.perf_counter()
    with pytest.raises(DatasetUnavailableError) as err:
        load_dataset(NAME, data_dir=tmp_path)
    assert time.perf_counter() - start < 1.0
    message = str(err.value)
    assert "texts.csv" in message and "id,text" in message and "texts_file" in message
    assert "hydrated" in message and "CC BY 4.0" in message


def test_texts_that_match_no_id_are_an_unavailable_dataset(tmp_path):
    write_upstream(tmp_path, {fake_id(1): (["B4"] * 3, ["A1"] * 3)})
    write_texts(tmp_path / "t.csv", [[fake_id(99), "創作"], [fake_id(1), "  "]])
    with pytest.raises(
        DatasetUnavailableError,
        match=r"none of the 1 tweet ids has a text in .*t.csv \(2 rows read, 1 non-empty",
    ):
        load_unpinned(tmp_path, texts_file=tmp_path / "t.csv")  # fmt: skip


@pytest.fixture
def real_folder(shared_data_dir) -> Path:
    folder = shared_data_dir / FOLDER
    if not all((folder / name).is_file() for name in JSON_FILES):
        pytest.skip(f"{folder} does not hold {JSON_FILES}")
    return folder


def test_checksum_mismatch_is_an_error_unless_accepted(real_folder, tmp_path):
    copy = tmp_path / FOLDER
    copy.mkdir()
    for name in JSON_FILES:
        shutil.copy(real_folder / name, copy / name)
    with (copy / "test_twitter.json").open("ab") as handle:
        handle.write(b"\n")  # same JSON, different bytes
    ids = list(json.loads((real_folder / "test_twitter.json").read_text(encoding="utf-8")))[:3]
    write_texts(copy / "texts.csv", [[i, "創作"] for i in ids])
    with pytest.raises(
        ChecksumMismatchError, match=r"test_twitter\.json.*accept_checksum_mismatch"
    ):
        load_dataset(NAME, data_dir=copy)
    with pytest.warns(HiboBenchWarning, match="test_twitter.json"):
        data = load_dataset(NAME, data_dir=copy, accept_checksum_mismatch=True)
    assert set(data["test"]["id"]) <= set(ids) and len(data["train"]) == 0


# ---- the real label files with invented texts -------------------------------------------------

# Hand-picked cases on the real files, described by their annotation pattern (no real ids here):
# name → (split, the three label codes, the three target codes or None for any,
#         label or excluded bucket, subtypes, native_label, target majority).
# At test time each case takes the first id in its split whose codes match the pattern.
HAND_PICKED = {
    "B2 B2 B2": ("train", ["B2", "B2", "B2"], ["A1", "A1", "A1"], "illegal", ["insult"], "B2", "A1"),
    "B4 B3 B4": ("train", ["B4", "B3", "B4"], ["A3", "A1", "A3"], "not_illegal", [], "B4", "A3"),
    "B1 B1 B1": ("train", ["B1", "B1", "B1"], ["A3", "A1", "A1"], "illegal", ["threat"], "B1", "A1"),
    "B1 B4 B1": ("train", ["B1", "B4", "B1"], ["A1", "A3", "A1"], "illegal", ["threat"], "B1", "A1"),
    "B3 B3 B4": ("train", ["B3", "B3", "B4"], ["A1", "A1", "A3"], "illegal", ["defamation"], "B3", "A1"),
    "B3 B4 B2": ("train", ["B3", "B4", "B2"], ["A3", "A3", "A3"], "illegal", ["insult", "defamation"], "", "A3"),
    "B3 B1 B2": ("train", ["B3", "B1", "B2"], ["A3", "A1", "A1"], "illegal", ["threat", "insult", "defamation"], "", "A1"),
    "B3 C B4": ("train", ["B3", "C", "B4"], None, "no_majority", [], "", ""),
    "C B3 B3": ("train", ["C", "B3", "B3"], ["C", "A1", "A3"], "illegal", ["defamation"], "B3", ""),
    "C C C": ("train", ["C", "C", "C"], None, "unintelligible", [], "C", "C"),
    "C B4 B4": ("train", ["C", "B4", "B4"], ["C", "A3", "A3"], "not_illegal", [], "B4", "A3"),
    "B2 C B2": ("train", ["B2", "C", "B2"], ["A1", "C", "A1"], "illegal", ["insult"], "B2", "A1"),
    "B1 B2 B1": ("train", ["B1", "B2", "B1"], ["A2", "A2", "A1"], "illegal", ["threat", "insult"], "B1", "A2"),
    "B2 B2 C": ("train", ["B2", "B2", "C"], ["A1", "C", "C"], "illegal", ["insult"], "B2", "C"),
    "test B4 B3 B4": ("test", ["B4", "B3", "B4"], ["A1", "A1", "A1"], "not_illegal", [], "B4", "A1"),
    "test B3 B4 B3": ("test", ["B3", "B4", "B3"], ["A2", "A1", "A1"], "illegal", ["defamation"], "B3", "A1"),
    "test B3 B1 B2": ("test", ["B3", "B1", "B2"], ["A2", "A1", "A2"], "illegal", ["threat", "insult", "defamation"], "", "A2"),
    "test C B2 C": ("test", ["C", "B2", "C"], None, "unintelligible", [], "C", "A3"),
    "test B1 B1 B1": ("test", ["B1", "B1", "B1"], ["A3", "A2", "A1"], "illegal", ["threat"], "B1", ""),
    "test B2 B1 C": ("test", ["B2", "B1", "C"], ["A1", "A2", "C"], "illegal", ["threat", "insult"], "", ""),
}  # fmt: skip
NO_TEXT = "B2 B2 B2"  # the hand-picked case whose text is left out on purpose
# Invented texts with commas, quotes and newlines (the csv module quotes them).
INVENTED = ["創作の投稿、その{}", '引用"符"つき{}', "改行\nあり{}"]
SPLIT_FILES = {"train": "train_twitter.json", "test": "test_twitter.json"}


def pick_hand_picked(folder: Path) -> dict[str, tuple]:
    """Real id → the hand-picked case it stands for: per case, the first id in the case's split
    whose label codes (and target codes, where given) match; fails naming a case that has none."""
    splits = {
        split: json.loads((folder / name).read_text(encoding="utf-8"))
        for split, name in SPLIT_FILES.items()
    }
    picked: dict[str, tuple] = {}
    for name, (split, labels, targets, *expected) in HAND_PICKED.items():
        tweet_id = next(
            (
                i
                for i, v in splits[split].items()
                if i not in picked
                and v["resB_label"] == labels
                and (targets is None or v["resA_label"] == targets)
            ),
            None,
        )
        if tweet_id is None:
            pytest.fail(f"no unused {split} id in {folder} has labels {labels}, targets {targets} ({name!r})")  # fmt: skip
        picked[tweet_id] = (name, split, *expected)
    return picked


@pytest.fixture
def real_with_texts(real_folder, tmp_path):
    """Real label files + a texts.csv (with BOM) of invented texts for 30 real ids."""
    data = json.loads((real_folder / "data_twitter.json").read_text(encoding="utf-8"))
    test_ids = set(json.loads((real_folder / "test_twitter.json").read_text(encoding="utf-8")))
    picked = pick_hand_picked(real_folder)
    no_text = next(i for i, v in picked.items() if v[0] == NO_TEXT)
    # Extra ids with a unanimous, intelligible label, so none of them is excluded.
    extra = [
        i for i, v in data.items()
        if i not in picked and len(set(v["label"])) == 1 and v["label"][0] != "C"
    ][:11]  # fmt: skip
    texted = [i for i in [*picked, *extra] if i != no_text]
    rows = [[i, INVENTED[n % 3].format(n)] for n, i in enumerate(texted)]
    rows += [[texted[0], rows[0][1]]]  # an identical duplicate is fine
    rows += [[no_text, ""], [fake_id(1), "知らないID"]]  # empty text; unknown id
    path = write_texts(tmp_path / "texts.csv", rows, bom=True)
    assert len(texted) == 30
    return real_folder, path, texted, data, picked, no_text, test_ids


def test_real_files_join_invented_texts(real_with_texts):
    folder, path, texted, data, picked, _, test_ids = real_with_texts
    loaded = load_dataset(NAME, data_dir=folder, texts_file=path, require_individual_target=False)  # fmt: skip
    assert list(loaded) == ["train", "test"]
    assert loaded["train"].features["label"] == ClassLabel(names=["not_illegal", "illegal"])
    rows = by_id(loaded)
    excluded = {i for i, v in picked.items() if v[2] in ("no_majority", "unintelligible")}
    assert set(rows) == set(texted) - excluded
    for n, tweet_id in enumerate(texted):
        if tweet_id in rows:
            assert rows[tweet_id]["text"] == INVENTED[n % 3].format(n)
            assert rows[tweet_id]["annotations"] == data[tweet_id]["label"]
            assert rows[tweet_id]["annotator_ids"] == data[tweet_id]["user_id_list"]
    train = exclusion_counts(loaded["train"].info)
    test = exclusion_counts(loaded["test"].info)
    texted_test = sum(i in test_ids for i in texted)
    assert test["ids"] == 1264 and test["missing_texts"] == 1264 - texted_test
    assert train["ids"] == 3736 and train["missing_texts"] == 3736 - (30 - texted_test)
    assert train["all_splits"]["missing_texts"] == 5000 - 30
    assert train["all_splits"]["texts_unknown_ids"] == 1
    assert train["all_splits"]["texts_rows"] == 33
    assert train["excluded"] == {
        "missing_text": train["missing_texts"], "no_majority": 1, "unintelligible": 1,
    }  # fmt: skip
    assert test["excluded"] == {"missing_text": test["missing_texts"], "unintelligible": 1}
    assert f"{test['missing_texts']} without a text" in loaded["test"].info.description


def test_real_files_hand_picked_majority_votes(real_with_texts):
    folder, path, _, _, picked, no_text, _ = real_with_texts
    loaded = load_dataset(NAME, data_dir=folder, texts_file=path, require_individual_target=False)  # fmt: skip
    rows = by_id(loaded)
    for tweet_id, (name, split, expected, subtypes, native, target) in picked.items():
        if tweet_id == no_text or expected in ("no_majority", "unintelligible"):
            assert tweet_id not in rows, name
            continue
        row = rows[tweet_id]
        assert row["split"] == split, name
        assert label_of(loaded, row) == expected, name
        assert row["subtypes"] == subtypes, name
        assert (row["native_label"], row["target"]) == (native, target), name
    capped = by_id(load_dataset(NAME, data_dir=folder, texts_file=path, require_individual_target=True))  # fmt: skip
    for tweet_id, (name, _, expected, _, _, target) in picked.items():
        if tweet_id not in rows:
            continue
        if target == "C" and expected == "illegal":
            assert tweet_id not in capped, name
        elif expected == "illegal" and target != "A2":
            assert capped[tweet_id]["label"] == 0 and capped[tweet_id]["subtypes"] == [], name
        else:
            assert capped[tweet_id]["label"] == rows[tweet_id]["label"], name


def test_real_files_counts_match_the_card(real_folder, tmp_path):
    data = json.loads((real_folder / "data_twitter.json").read_text(encoding="utf-8"))
    path = write_texts(tmp_path / "all.csv", [[i, f"創作{n}"] for n, i in enumerate(data)])
    loaded = load_dataset(NAME, data_dir=real_folder, texts_file=path, require_individual_target=False)  # fmt: skip
    train = exclusion_counts(loaded["train"].info)
    test = exclusion_counts(loaded["test"].info)
    assert train["by_label"] == {"not_illegal": 1059, "illegal": 2535}
    assert train["excluded"] == {"no_majority": 80, "unintelligible": 62}
    assert test["by_label"] == {"not_illegal": 494, "illegal": 721}
    assert test["excluded"] == {"no_majority": 30, "unintelligible": 19}
    assert train["missing_texts"] == test["missing_texts"] == 0
    capped = load_dataset(NAME, data_dir=real_folder, texts_file=path, require_individual_target=True)  # fmt: skip
    train = exclusion_counts(capped["train"].info)
    test = exclusion_counts(capped["test"].info)
    assert train["by_label"] == {"not_illegal": 3375, "illegal": 218}
    assert test["by_label"] == {"not_illegal": 1174, "illegal": 41}
    assert (train["capped_to_not_illegal"], test["capped_to_not_illegal"]) == (2316, 680)


def test_cli_show_prints_every_native_value(tmp_path, monkeypatch):
    monkeypatch.setenv("HIBOBENCH_DATA_DIR", str(tmp_path))
    text = describe(get_spec(NAME))
    for native in (*EXPECTED_CODE, *EXPECTED_TARGET_CAP):
        assert f"| {native} |" in text
    assert "excluded (unintelligible)" in text and "texts.csv` (user-supplied)" in text
    assert "概要" in text
