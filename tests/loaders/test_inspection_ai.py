"""inspection_ai: Inspection AI's japanese-toxic-dataset subset.csv as the binary "actionable" view.

Synthetic rows (invented ids and texts, upstream column layout) are written to tmp_path and
loaded with accept_checksum_mismatch=True; the real file is read from the shared data folder
(HIBOBENCH_SHARED_DATA/inspection_ai_jtoxic) and those tests skip where it is absent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from datasets import ClassLabel, DatasetDict

from benchmark import load_dataset
from benchmark.cli_datasets import describe
from benchmark.errors import ConfigError, HiboBenchWarning, SchemaError
from benchmark.external import ChecksumMismatchError
from benchmark.loaders._tables import exclusion_counts
from benchmark.registry import REGISTRY, dataset_files, get_spec
from tests.loaders.support import unavailable_message

NAME = "inspection_ai"
FOLDER = "inspection_ai_jtoxic"
LEVELS = ("Not Toxic", "Hard to Say", "Toxic", "Very Toxic")
CATEGORIES = (
    "卑語",
    "差別",
    "迷惑行為",
    "猥褻",
    "出会い・プライバシー侵害",
    "違法行為",
    "偏向表現",
)
HEADER = ["id", "text", *LEVELS, *(f"category_{c}" for c in CATEGORIES), "annotation_num"]

# Every toxicity level, voted for by every annotator → the outcome (None: excluded as unsure).
EXPECTED_LEVEL = {
    "Not Toxic": "not_actionable",
    "Hard to Say": None,
    "Toxic": "actionable",
    "Very Toxic": "actionable",
}
# Every category, voted by both annotators of an actionable row → the subtypes it adds.
EXPECTED_SUBTYPES = {
    "卑語": ["abuse"],
    "差別": ["group_hate"],
    "迷惑行為": ["harassment"],
    "猥褻": ["sexual"],
    "出会い・プライバシー侵害": [],
    "違法行為": ["other"],
    "偏向表現": [],
}


def row(row_id: str, votes: tuple[int, int, int, int], categories: dict[str, int] | None = None):
    cats = categories or {}
    return [
        row_id,
        f"創作テキスト{row_id}",
        *votes,
        *(cats.get(c, 0) for c in CATEGORIES),
        sum(votes),
    ]


def write_csv(folder: Path, rows: list[list], header: list[str] = HEADER) -> Path:
    path = folder / "data" / "subset.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def load_unpinned(folder: Path, **options) -> DatasetDict:
    """Load invented rows (their sha256 is not the pinned one, which warns)."""
    with pytest.warns(HiboBenchWarning, match="sha256"):
        return load_dataset(NAME, data_dir=folder, accept_checksum_mismatch=True, **options)


def by_id(split) -> dict[str, dict]:
    return {r["id"]: r for r in split}


def label_name(split, value: int) -> str | None:
    return None if value == -1 else split.features["label"].int2str(value)


# ---- the mapping, row by row, on invented rows ------------------------------------------------


def test_every_toxicity_level_maps_as_the_spec_says(tmp_path):
    rows = [row(f"L{i}", tuple(2 if lv == level else 0 for lv in LEVELS)) for i, level in enumerate(LEVELS)]  # fmt: skip
    write_csv(tmp_path, rows)
    data = load_unpinned(tmp_path, keep_ties=True)
    test = by_id(data["test"])
    for i, level in enumerate(LEVELS):
        expected = EXPECTED_LEVEL[level]
        if expected is None:
            assert f"L{i}" not in test and f"L{i}" not in by_id(data["ties"])
        else:
            assert label_name(data["test"], test[f"L{i}"]["label"]) == expected, level
    counts = exclusion_counts(data["test"].info)
    assert counts["excluded"] == {"unsure": 1}
    rules = {r.native: r.label for r in get_spec(NAME).mappings[0].rules}
    assert rules == EXPECTED_LEVEL


@pytest.fixture
def any_csv(tmp_path):
    write_csv(tmp_path, [row("a", (2, 0, 0, 0))])
    return tmp_path


def test_plurality_vote_ties_and_hard_to_say(tmp_path):
    cases = {
        # id: (Not Toxic, Hard to Say, Toxic, Very Toxic), expected label or tie options
        "toxic+very": ((1, 0, 1, 1), "actionable"),
        "plurality": ((2, 1, 1, 0), "not_actionable"),
        "one_each": ((1, 0, 1, 0), ["actionable", "not_actionable"]),
        "sum_ties": ((2, 0, 1, 1), ["actionable", "not_actionable"]),
        "nt_hs": ((1, 1, 0, 0), ["not_actionable", "unsure"]),
        "hs_t": ((0, 1, 0, 1), ["actionable", "unsure"]),
        "three_way": ((1, 1, 1, 0), ["actionable", "not_actionable", "unsure"]),
        "hs_wins": ((1, 2, 1, 0), "unsure"),
    }
    write_csv(tmp_path, [row(i, votes) for i, (votes, _) in cases.items()])
    data = load_unpinned(tmp_path, keep_ties=True)
    test, ties = by_id(data["test"]), by_id(data["ties"])
    for row_id, (votes, expected) in cases.items():
        if isinstance(expected, list):
            assert row_id in ties and row_id not in test, row_id
            assert ties[row_id]["tie"] and ties[row_id]["tied_options"] == expected
            assert ties[row_id]["label"] == -1
        elif expected == "unsure":
            assert row_id not in test and row_id not in ties
        else:
            assert label_name(data["test"], test[row_id]["label"]) == expected, row_id
            assert not test[row_id]["tie"] and test[row_id]["tied_options"] == []
        if row_id in test or row_id in ties:
            found = (test | ties)[row_id]
            assert found["soft_label"] == pytest.approx((votes[2] + votes[3]) / sum(votes))
    counts = exclusion_counts(data["test"].info)
    assert counts["excluded"] == {"tie": 5, "unsure": 1}
    assert counts["test_by_label"] == {"not_actionable": 1, "actionable": 1}
    assert counts["ties_by_options"]["actionable+not_actionable"] == 2
    # without keep_ties the ties are only counted
    plain = load_unpinned(tmp_path)
    assert list(plain) == ["test"] and len(plain["test"]) == 2


def test_every_category_maps_to_its_subtypes(tmp_path):
    rows = [row(f"C{i}", (0, 0, 2, 0), {c: 1}) for i, c in enumerate(CATEGORIES)]
    rows += [
        row("below_half", (0, 0, 2, 2), {"差別": 1}),  # 1 selection of 4 annotators: not counted
        row("half", (0, 0, 2, 2), {"差別": 2, "猥褻": 2}),
        row("negative", (2, 0, 0, 0), {"卑語": 2}),  # categories never on not_actionable rows
    ]
    write_csv(tmp_path, rows)
    test = by_id(load_unpinned(tmp_path)["test"])
    for i, category in enumerate(CATEGORIES):
        assert test[f"C{i}"]["subtypes"] == EXPECTED_SUBTYPES[category], category
    assert test["below_half"]["subtypes"] == []
    assert test["half"]["subtypes"] == ["group_hate", "sexual"]
    assert test["negative"]["subtypes"] == [] and test["negative"]["category_dignity"] == 2
    assert test["C2"]["category_harassment"] == 1 and test["C2"]["votes_toxic"] == 2
    rules = {r.native: list(r.subtypes) for r in get_spec(NAME).mappings[1].rules}
    assert rules == EXPECTED_SUBTYPES


def test_the_loader_applies_the_mapping_from_the_spec(tmp_path, monkeypatch):
    write_csv(tmp_path, [row("hs", (0, 2, 0, 0)), row("t", (0, 0, 2, 0), {"偏向表現": 2})])
    spec = get_spec(NAME)
    levels, categories = spec.mappings
    new_levels = levels.model_copy(
        update={"rules": tuple(
            r.model_copy(update={"label": "not_actionable", "bucket": None})
            if r.native == "Hard to Say" else r for r in levels.rules
        )}
    )  # fmt: skip
    new_categories = categories.model_copy(
        update={"rules": tuple(
            r.model_copy(update={"subtypes": ("other",)}) if r.native == "偏向表現" else r
            for r in categories.rules
        )}
    )  # fmt: skip
    monkeypatch.setitem(
        REGISTRY, NAME, spec.model_copy(update={"mappings": (new_levels, new_categories)})
    )
    test = by_id(load_unpinned(tmp_path)["test"])
    assert test["hs"]["label"] == 0 and test["t"]["subtypes"] == ["other"]


def test_a_spec_mapping_that_misses_a_level_is_an_error(any_csv, monkeypatch):
    spec = get_spec(NAME)
    levels = spec.mappings[0]
    short = levels.model_copy(update={"rules": levels.rules[:-1]})
    monkeypatch.setitem(
        REGISTRY, NAME, spec.model_copy(update={"mappings": (short, spec.mappings[1])})
    )
    with pytest.raises(SchemaError, match=r"toxicity_level.*Very Toxic"):
        load_unpinned(any_csv)


# ---- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "header", "match"),
    [
        ([[*row("a", (2, 0, 0, 0))[:-1], "x"]], HEADER, r"subset.csv:2: column 'annotation_num'.*'x'"),
        ([[*row("a", (2, 0, 0, 0))[:-1], 3]], HEADER, r"subset.csv:2: field 'annotation_num' is 3.*add up to 2"),
        ([row("a", (2, 0, 0, 0)), row("a", (2, 0, 0, 0))], HEADER, r"subset.csv:3: id 'a' already used on line 2"),
        ([row("a", (2, 0, 0, 0))[:-2]], HEADER, r"subset.csv:2: expected 14 fields, found 12"),
        ([row("a", (2, 0, 0, 0))], [*HEADER[:-2], "category_暴力", "annotation_num"], r"subset.csv:1: header.*unknown column"),
        ([row("a", (-1, 0, 0, 3))], HEADER, r"column 'Not Toxic' should be a vote count.*'-1'"),
    ],
)  # fmt: skip
def test_bad_rows_raise_schema_errors_naming_file_and_line(tmp_path, rows, header, match):
    write_csv(tmp_path, rows, header)
    with pytest.raises(SchemaError, match=match):
        load_unpinned(tmp_path)


def test_unknown_option_is_a_config_error(any_csv):
    with pytest.raises(ConfigError, match=r"unknown option.*'keep_tie'.*keep_ties"):
        load_dataset(NAME, data_dir=any_csv, keep_tie=True)


# ---- availability and checksums ---------------------------------------------------------------


def test_missing_data_fails_fast_naming_folder_source_and_licence(tmp_path, monkeypatch):
    message = unavailable_message(NAME, tmp_path, monkeypatch)
    assert FOLDER in message and "data/subset.csv" in message
    assert "github.com/inspection-ai/japanese-toxic-dataset" in message
    assert "Apache-2.0" in message
    assert dataset_files(NAME) == [tmp_path / FOLDER / "data" / "subset.csv"]


@pytest.fixture
def real_folder(shared_data_dir) -> Path:
    folder = shared_data_dir / FOLDER
    if not (folder / "data" / "subset.csv").is_file():
        pytest.skip(f"{folder}/data/subset.csv not found")
    return folder


def test_checksum_mismatch_is_an_error_unless_accepted(real_folder, tmp_path):
    copy = tmp_path / FOLDER
    (copy / "data").mkdir(parents=True)
    data = (real_folder / "data" / "subset.csv").read_bytes()
    altered = data.replace(b"\n0,", b"\n1,", 1)  # first row's id 0 -> 1 (id 1 is not used)
    assert altered != data and len(altered) == len(data)
    (copy / "data" / "subset.csv").write_bytes(altered)
    with pytest.raises(ChecksumMismatchError, match="accept_checksum_mismatch"):
        load_dataset(NAME, data_dir=copy)
    with pytest.warns(HiboBenchWarning, match="sha256"):
        loaded = load_dataset(NAME, data_dir=copy, accept_checksum_mismatch=True)
    assert "1" in loaded["test"]["id"] and "0" not in loaded["test"]["id"]


# ---- the real file ----------------------------------------------------------------------------


def test_real_file_counts_match_the_card(real_folder):
    data = load_dataset(NAME, data_dir=real_folder, keep_ties=True)
    assert list(data) == ["test", "ties"]
    test = data["test"]
    assert test.features["label"] == ClassLabel(names=["not_actionable", "actionable"])
    counts = exclusion_counts(test.info)
    assert counts["rows_read"] == 437
    assert counts["test_by_label"] == {"not_actionable": 280, "actionable": 29}
    assert counts["excluded"] == {"tie": 110, "unsure": 18}
    assert counts["ties_by_options"] == {
        "actionable+not_actionable": 20,
        "actionable+unsure": 18,
        "not_actionable+unsure": 72,
    }
    assert len(test) == 309 and len(data["ties"]) == 110
    assert all(data["ties"]["tie"]) and set(data["ties"]["label"]) == {-1}
    assert not any(test["tie"])
    assert len(set(test["id"]) | set(data["ties"]["id"])) == 419
    subtypes = [s for row_subtypes in test["subtypes"] for s in row_subtypes]
    assert {s: subtypes.count(s) for s in set(subtypes)} == {
        "harassment": 25, "group_hate": 14, "abuse": 8, "sexual": 4,
    }  # fmt: skip


def test_real_file_hand_picked_rows(real_folder):
    data = load_dataset(NAME, data_dir=real_folder, keep_ties=True)
    test, ties = by_id(data["test"]), by_id(data["ties"])
    # id: (votes NT, HS, T, VT), expected
    expected = {
        "0": ((2, 0, 0, 1), "not_actionable"),
        "39": ((1, 0, 1, 2), "actionable"),
        "60": ((0, 1, 2, 1), "actionable"),
        "14": ((1, 3, 0, 0), "unsure"),
        "38": ((2, 2, 0, 0), ["not_actionable", "unsure"]),
        "161": ((1, 0, 1, 0), ["actionable", "not_actionable"]),
        "190": ((0, 1, 1, 0), ["actionable", "unsure"]),
    }
    for row_id, (votes, outcome) in expected.items():
        found = test.get(row_id) or ties.get(row_id)
        if outcome == "unsure":
            assert found is None
            continue
        assert found is not None, row_id
        columns = ("votes_not_toxic", "votes_hard_to_say", "votes_toxic", "votes_very_toxic")
        assert tuple(found[c] for c in columns) == votes, row_id
        if isinstance(outcome, list):
            assert found["tied_options"] == outcome and found["label"] == -1
        else:
            assert label_name(data["test"], found["label"]) == outcome, row_id
    assert test["39"]["soft_label"] == pytest.approx(0.75)
    # id 60: 4 annotators; 差別 4 and 迷惑行為 5 selections count, 卑語 1 does not
    assert test["60"]["category_discrimination"] == 4 and test["60"]["category_dignity"] == 1
    assert test["60"]["subtypes"] == ["group_hate", "harassment"]


def test_cli_show_prints_every_native_value(tmp_path, monkeypatch):
    monkeypatch.setenv("HIBOBENCH_DATA_DIR", str(tmp_path))
    text = describe(get_spec(NAME))
    for native in (*LEVELS, *CATEGORIES):
        assert f"| {native} |" in text
    assert "excluded (unsure)" in text and "Apache-2.0" in text
    assert "概要" in text  # the card, with its Japanese summary
