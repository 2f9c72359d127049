"""court_cases: the Hisada et al. 2024 court-case dataset (folds view and annotations view).

The mapping is tested row by row on invented rows (tests/fixtures/court_cases/ and rows
written in tmp_path, in the exact upstream format) and, where the shared data folder exists,
on the real files against figures measured on the shared copy (commit 03d3b65).
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from datasets import DatasetDict

from benchmark import load_dataset
from benchmark.cli_datasets import describe
from benchmark.errors import ConfigError, HiboBenchWarning, SchemaError
from benchmark.external import ChecksumMismatchError, DatasetUnavailableError
from benchmark.loaders import court_cases
from benchmark.registry import dataset_files, get_spec

NAME = "court_cases"
FOLDER = "court_cases_hisada2024"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / NAME
RIGHTS = (
    "名誉権", "名誉感情", "私生活の平穏", "人格権・人格的利益", "営業権", "プライバシー",
    "肖像権", "氏名権", "著作財産権",
)  # fmt: skip
USABLE = "誹謗中傷の事例"
# Expected outcome of every native value, written out here independently of the spec.
EXPECTED_SKIP_BUCKET = {
    "その他": "skip_other",
    "テキストでない": "skip_not_text",
    "同定可能性の否定": "skip_not_identifiable",
    "本件投稿の重複": "skip_duplicate",
    "訴訟の却下": "skip_dismissed",
}
# a post whose only decision is this value (None: excluded into the bucket)
EXPECTED_DECISION = {
    "裁判所の認容": ("illegal", None),
    "違法性阻却事由の存在": ("criticism", None),
    "裁判所の否認": (None, "not_recognised"),
    "原告の主張": (None, "claimed_only"),
    "None": (None, "no_right_at_issue"),
}
PRECEDENCE = ("裁判所の認容", "違法性阻却事由の存在", "裁判所の否認", "原告の主張", "None")
EXPECTED_SUBTYPE = {
    "名誉権": "defamation",
    "名誉感情": "insult",
    "私生活の平穏": "threat",
    "人格権・人格的利益": "other_rights",
    "営業権": "credit_business",
    "プライバシー": "privacy",
    "肖像権": "other_rights",
    "氏名権": "other_rights",
    "著作財産権": "other_rights",
}
FOLD_RIGHTS = RIGHTS[:6]


def annotation_row(skip: str = USABLE, case: int = 1, **decisions: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "Skip": skip,
        "caseID": case,
        "プラットフォーム": "掲示板",
        "本件投稿記事": f"[P-ind]についての投稿{len(decisions)}",
        "文脈": "None",
    }
    row.update({right: decisions.get(right, "None") for right in RIGHTS})
    row.update(
        {
            "事件番号": f"令和9年(ワ)第{case}号",
            "事件名": "損害賠償請求事件",
            "裁判所": "東京地方裁判所",
            "Source": "LEX/DB 00000000",
        }
    )
    return row


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def read_rows(path: Path, schema) -> tuple[list[dict[str, Any]], Counter[str]]:
    return court_cases.read_annotation_file(path, get_spec(NAME), schema)


def load_fixture(**options: Any) -> DatasetDict:
    # the invented fixture files cannot have the pinned sha256
    with pytest.warns(HiboBenchWarning, match="sha256"):
        return load_dataset(NAME, data_dir=FIXTURES, accept_checksum_mismatch=True, **options)


# ---- the mapping, native value by native value ---------------------------------------------


@pytest.mark.parametrize("skip", sorted(EXPECTED_SKIP_BUCKET))
def test_every_skip_value_other_than_the_usable_one_excludes_the_row(tmp_path, schema, skip):
    path = write_jsonl(
        tmp_path / "w.jsonl", [annotation_row(skip=skip, **{"名誉権": "裁判所の認容"})]
    )
    rows, excluded = read_rows(path, schema)
    assert rows == [] and excluded == Counter({EXPECTED_SKIP_BUCKET[skip]: 1})


@pytest.mark.parametrize("value", PRECEDENCE)
@pytest.mark.parametrize("right", RIGHTS)
def test_every_decision_value_on_every_right(tmp_path, schema, right, value):
    path = write_jsonl(tmp_path / "w.jsonl", [annotation_row(**{right: value})])
    rows, excluded = read_rows(path, schema)
    label, bucket = EXPECTED_DECISION[value]
    if label is None:
        assert rows == [] and excluded == Counter({bucket: 1})
        return
    (row,) = rows
    assert row["label"] == label and row["native_label"] == value
    assert row["illegal_subtypes"] == ([EXPECTED_SUBTYPE[right]] if label == "illegal" else [])
    assert row["deciding_rights"] == ([] if value == "None" else [right])
    assert row["decisions"] == {r: (value if r == right else "None") for r in RIGHTS}


@pytest.mark.parametrize("stronger", range(len(PRECEDENCE) - 1))
def test_decisions_on_different_rights_follow_the_precedence(tmp_path, schema, stronger):
    """A post takes the label of the first value in PRECEDENCE that any right holds."""
    value = PRECEDENCE[stronger]
    weaker_values = PRECEDENCE[stronger + 1 :]
    rows_in = [
        annotation_row(**{RIGHTS[1 + i]: weaker, "名誉権": value})
        for i, weaker in enumerate(weaker_values)
    ]
    rows, excluded = read_rows(write_jsonl(tmp_path / "w.jsonl", rows_in), schema)
    label, bucket = EXPECTED_DECISION[value]
    if label is None:
        assert rows == [] and excluded == Counter({bucket: len(rows_in)})
    else:
        assert not excluded
        assert [r["label"] for r in rows] == [label] * len(rows_in)
        assert [r["deciding_rights"] for r in rows] == [["名誉権"]] * len(rows_in)
        assert [r["native_label"] for r in rows] == [value] * len(rows_in)


def test_several_recognised_rights_give_every_subtype_in_schema_order(tmp_path, schema):
    decisions = {
        "プライバシー": "裁判所の認容",
        "名誉感情": "裁判所の認容",
        "名誉権": "違法性阻却事由の存在",
        "私生活の平穏": "裁判所の認容",
        "肖像権": "裁判所の認容",
        "営業権": "裁判所の否認",
    }
    (row,), _ = read_rows(write_jsonl(tmp_path / "w.jsonl", [annotation_row(**decisions)]), schema)
    assert row["label"] == "illegal"
    assert row["illegal_subtypes"] == ["insult", "privacy", "threat", "other_rights"]
    assert row["deciding_rights"] == ["名誉感情", "私生活の平穏", "プライバシー", "肖像権"]


def test_the_spec_holds_a_rule_for_every_native_value():
    spec = get_spec(NAME)
    assert set(court_cases.skip_rules(spec)) == set(EXPECTED_SKIP_BUCKET)
    assert [r.native for r in court_cases.decision_rules(spec)] == list(PRECEDENCE)
    rights = court_cases.right_rules(spec)
    assert {r: rule.subtypes for r, rule in rights.items()} == {
        r: (s,) for r, s in EXPECTED_SUBTYPE.items()
    }
    assert {n: r.label for n, r in court_cases.result_rules(spec).items()} == {
        "True": "illegal",
        "False": "not_illegal",
    }
    for mapping in spec.mappings:
        for rule in mapping.rules:
            assert rule.label is not None or rule.bucket, (mapping.field, rule.native)


def test_the_loader_applies_the_mapping_from_the_spec_not_from_code(tmp_path, schema):
    spec = get_spec(NAME)
    changed = [
        rule.model_copy(update={"label": "criticism", "bucket": None})
        if rule.native == "裁判所の否認"
        else rule
        for rule in court_cases.decision_rules(spec)
    ]
    mappings = tuple(
        m.model_copy(update={"rules": tuple(changed)}) if m.field == "decision" else m
        for m in spec.mappings
    )
    path = write_jsonl(tmp_path / "w.jsonl", [annotation_row(**{"名誉権": "裁判所の否認"})])
    rows, excluded = court_cases.read_annotation_file(
        path, spec.model_copy(update={"mappings": mappings}), schema
    )
    assert [r["label"] for r in rows] == ["criticism"] and not excluded


# ---- the fixture, end to end ---------------------------------------------------------------


def test_annotations_view_on_the_fixture():
    data = load_fixture(view="annotations")
    assert list(data) == ["test"]
    split = data["test"]
    names = split.features["label"].names
    assert names == ["illegal", "harmful", "criticism", "none"]
    got = {
        row["id"]: (names[row["label"]], row["illegal_subtypes"], row["context"], row["platform"])
        for row in split
    }
    assert got == {
        "令和9年(ワ)第1号#1": ("illegal", ["defamation"], "", "掲示板"),
        "令和9年(ワ)第1号#2": ("illegal", ["insult"], "[P-ind]の件でスレ立て", "掲示板"),
        "令和9年(ワ)第2号#0": ("criticism", [], "", "ブログ"),
        "令和9年(ワ)第2号#3": ("illegal", ["privacy", "threat"], "", ""),
        "令和9年(ワ)第3号#3": ("illegal", ["other_rights"], "", "掲示板"),
    }
    description = split.info.description
    assert "5 rows kept" in description and "7 rows excluded" in description
    for bucket in ("not_recognised", "claimed_only", *EXPECTED_SKIP_BUCKET.values()):
        assert f"'{bucket}': 1" in description
    assert split[0]["case_id"] == "1" and split[0]["case_number"] == "令和9年(ワ)第1号"


def test_folds_view_on_the_fixture():
    data = load_fixture()
    assert list(data) == ["train", "test"]
    train, test = data["train"], data["test"]
    assert train.features["label"].names == ["not_illegal", "illegal"]
    assert train["id"] == [f"f0-train-{i}" for i in range(4)]
    assert test["id"] == [f"f0-test-{i}" for i in range(3)]
    assert train["label"] == [1, 0, 0, 1] and test["label"] == [0, 0, 1]
    assert train["case_id"] == ["1", "1", "negative", "trial_1"]
    # rights at issue, recognised or not (test row 0 was rejected: label 0, rights kept)
    assert test["rights"] == [["名誉権", "営業権"], [], ["私生活の平穏", "プライバシー"]]
    assert train["context"][1] == "スレタイ: [IDinfo]について"
    assert "no rows excluded" in test.info.description


# ---- errors --------------------------------------------------------------------------------


def test_missing_data_fails_fast_naming_folder_source_and_licence(tmp_path, monkeypatch, schema):
    monkeypatch.setenv("HIBOBENCH_DATA_DIR", str(tmp_path))
    for options in ({}, {"view": "annotations"}, {"fold": 3}):
        start = time.perf_counter()
        with pytest.raises(DatasetUnavailableError) as err:
            load_dataset(NAME, schema=schema, **options)
        assert time.perf_counter() - start < 1.0
        message = str(err.value)
        assert FOLDER in message and "CC BY-NC 4.0" in message
        assert "github.com/horshohei/japanese-offensive-language-from-court-case" in message
        assert "03d3b65" in message
    with pytest.raises(DatasetUnavailableError, match=r"annotations/worker_2\.jsonl"):
        load_dataset(NAME, schema=schema, data_dir=tmp_path, view="annotations", worker=2)


@pytest.mark.parametrize(
    "options",
    [{"view": "cases"}, {"fold": 5}, {"fold": "0"}, {"worker": 4}, {"fold": True}],
)
def test_bad_options_are_config_errors(tmp_path, options):
    with pytest.raises(ConfigError):
        load_dataset(NAME, data_dir=tmp_path, **options)
    with pytest.raises(ConfigError):
        dataset_files(NAME, data_dir=tmp_path, **options)


def test_data_files_name_the_files_each_view_reads(tmp_path):
    assert dataset_files(NAME, data_dir=tmp_path, fold=2) == [
        tmp_path / "experimentdata/train_2.json",
        tmp_path / "experimentdata/test_2.json",
    ]
    assert dataset_files(NAME, data_dir=tmp_path, view="annotations", worker=3) == [
        tmp_path / "annotations/worker_3.jsonl"
    ]


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            {"名誉権": "裁判所の一部認容"},
            r"w\.jsonl:2: field '名誉権' has value '裁判所の一部認容'",
        ),
        ({"Skip": "新しい区分"}, r"w\.jsonl:2: field 'Skip' has value '新しい区分'"),
        ({"本件投稿記事": None}, r"w\.jsonl:2: field '本件投稿記事' is None; expected a string"),
        ({"caseID": [1]}, r"w\.jsonl:2: field 'caseID' is \[1\]"),
    ],
)
def test_malformed_annotation_rows_are_schema_errors(tmp_path, schema, change, match):
    rows = [annotation_row(), {**annotation_row(), **change}]
    with pytest.raises(SchemaError, match=match):
        read_rows(write_jsonl(tmp_path / "w.jsonl", rows), schema)


def test_missing_annotation_key_and_bad_json_are_schema_errors(tmp_path, schema):
    row = annotation_row()
    del row["事件番号"]
    with pytest.raises(SchemaError, match=r"w\.jsonl:1: field '事件番号' is missing"):
        read_rows(write_jsonl(tmp_path / "w.jsonl", [row]), schema)
    path = tmp_path / "bad.jsonl"
    path.write_text('{"Skip": \n', encoding="utf-8")
    with pytest.raises(SchemaError, match=r"bad\.jsonl:1: malformed JSON"):
        read_rows(path, schema)


def fold_file(tmp_path: Path, **change: Any) -> Path:
    data = json.loads((FIXTURES / "experimentdata/test_0.json").read_text(encoding="utf-8"))
    for key, value in change.items():
        if isinstance(value, tuple):  # (index, value): change one row
            data[key][value[0]] = value[1]
        else:
            data[key] = value
    path = tmp_path / "test_0.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"result": (1, "false")}, r"row 1: field 'result' is 'false'"),
        ({"result": (2, 1)}, r"row 2: field 'result' is 1"),
        ({"labels": (0, [1, 0])}, r"row 0: field 'labels' is \[1, 0\]; expected 6 values"),
        ({"labels": (0, [2, 0, 0, 0, 0, 0])}, r"row 0: field 'labels'"),
        ({"text": (1, None)}, r"row 1: field 'text' is NoneType; expected a string"),
        ({"caseID": (0, None)}, r"row 0: field 'caseID' is None"),
        ({"context": ["", ""]}, r"must be lists of the same length"),
        ({"labels": "x"}, r"must be lists of the same length"),
    ],
)
def test_malformed_fold_files_are_schema_errors(tmp_path, change, match):
    rules = court_cases.result_rules(get_spec(NAME))
    with pytest.raises(SchemaError, match=match):
        court_cases.read_fold_file(fold_file(tmp_path, **change), rules, id_prefix="x")


def test_fold_file_that_is_not_the_upstream_format_is_a_schema_error(tmp_path):
    rules = court_cases.result_rules(get_spec(NAME))
    path = tmp_path / "test_0.json"
    path.write_text(json.dumps([{"text": "a"}]), encoding="utf-8")
    with pytest.raises(SchemaError, match="expected a JSON object of parallel lists"):
        court_cases.read_fold_file(path, rules, id_prefix="x")
    path.write_text("{", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"test_0\.json:1: malformed JSON"):
        court_cases.read_fold_file(path, rules, id_prefix="x")


def test_describe_shows_every_mapping():
    text = describe(get_spec(NAME))
    for field in ("result", "Skip", "decision", "right"):
        assert f"## Label mapping: `{field}`" in text
    assert "| 裁判所の否認 | excluded (not_recognised) |" in text
    assert "| 私生活の平穏 | illegal | threat |" in text


# ---- the real files (shared data folder) ---------------------------------------------------


@pytest.fixture(scope="module")
def real_folder(shared_data_dir) -> Path:
    folder = shared_data_dir / FOLDER
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    return folder


@pytest.fixture(scope="module")
def worker_1(real_folder) -> DatasetDict:
    return load_dataset(NAME, data_dir=real_folder, view="annotations")


def test_real_annotations_counts(worker_1):
    split = worker_1["test"]
    names = split.features["label"].names
    assert len(split) == 462 and len(set(split["id"])) == 462
    assert Counter(names[i] for i in split["label"]) == {"illegal": 441, "criticism": 21}
    assert Counter(s for row in split["illegal_subtypes"] for s in row) == {
        "defamation": 281,
        "insult": 158,
        "other_rights": 12,
        "privacy": 10,
        "credit_business": 5,
        "threat": 4,
    }
    description = split.info.description
    for bucket, count in {
        "not_recognised": 110,
        "claimed_only": 7,
        "skip_other": 17,
        "skip_not_text": 17,
        "skip_not_identifiable": 8,
        "skip_duplicate": 8,
        "skip_dismissed": 2,
    }.items():
        assert f"'{bucket}': {count}" in description
    assert "169 rows excluded" in description


def test_real_annotations_row_by_row(real_folder, worker_1):
    """Every row of worker_1.jsonl, re-derived here from the raw file."""
    expected = {}
    positions: Counter[str] = Counter()
    lines = (real_folder / "annotations/worker_1.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines:
        raw = json.loads(line)
        item_id = f"{raw['事件番号']}#{positions[raw['事件番号']]}"
        positions[raw["事件番号"]] += 1
        values = {raw[r] for r in RIGHTS}
        if raw["Skip"] != USABLE or not values & {"裁判所の認容", "違法性阻却事由の存在"}:
            continue
        if "裁判所の認容" in values:
            subtypes = {EXPECTED_SUBTYPE[r] for r in RIGHTS if raw[r] == "裁判所の認容"}
            expected[item_id] = ("illegal", subtypes, raw["本件投稿記事"])
        else:
            expected[item_id] = ("criticism", set(), raw["本件投稿記事"])
    split = worker_1["test"]
    names = split.features["label"].names
    got = {
        row["id"]: (names[row["label"]], set(row["illegal_subtypes"]), row["text"]) for row in split
    }
    assert got == expected


@pytest.mark.parametrize(
    ("worker", "kept", "excluded"),
    [(2, {"illegal": 120, "criticism": 11}, 60), (3, {"illegal": 112, "criticism": 14}, 66)],
)
def test_real_other_workers(real_folder, worker, kept, excluded):
    split = load_dataset(NAME, data_dir=real_folder, view="annotations", worker=worker)["test"]
    names = split.features["label"].names
    assert Counter(names[i] for i in split["label"]) == kept
    assert f"{excluded} rows excluded" in split.info.description


# fold → (train rows, train illegal, test rows, test illegal), measured on the shared copy
FOLD_SIZES = {
    0: (1360, 368, 465, 120),
    1: (1346, 347, 479, 141),
    2: (1342, 364, 483, 124),
    3: (1357, 355, 468, 133),
    4: (1339, 339, 486, 149),
}


@pytest.mark.parametrize("fold", sorted(FOLD_SIZES))
def test_real_folds(real_folder, fold):
    data = load_dataset(NAME, data_dir=real_folder, fold=fold)
    train, test = data["train"], data["test"]
    assert (len(train), sum(train["label"]), len(test), sum(test["label"])) == FOLD_SIZES[fold]
    raw = json.loads((real_folder / f"experimentdata/test_{fold}.json").read_text("utf-8"))
    assert test["label"] == [int(r) for r in raw["result"]]
    assert test["text"] == raw["text"] and test["context"] == raw["context"]
    assert test["rights"] == [
        [r for r, v in zip(FOLD_RIGHTS, labels, strict=True) if v] for labels in raw["labels"]
    ]
    assert len(set(train["id"]) | set(test["id"])) == len(train) + len(test)
    # posts from no court case are never illegal
    assert not any(
        label for label, case in zip(test["label"], test["case_id"], strict=True)
        if case == "negative"
    )  # fmt: skip


def test_checksum_mismatch_is_an_error_unless_accepted(real_folder, tmp_path):
    folder = tmp_path / FOLDER
    for name in ("experimentdata/train_0.json", "experimentdata/test_0.json"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real_folder / name, folder / name)
    path = folder / "experimentdata/test_0.json"
    data = bytearray(path.read_bytes())
    data[data.index(b"[IDinfo]") + 1] = ord("i")  # one byte of one post: still valid JSON
    path.write_bytes(bytes(data))
    with pytest.raises(ChecksumMismatchError, match=r"test_0\.json: sha256 is"):
        load_dataset(NAME, data_dir=folder)
    with pytest.warns(HiboBenchWarning, match=r"test_0\.json: sha256 is"):
        loaded = load_dataset(NAME, data_dir=folder, accept_checksum_mismatch=True)
    assert len(loaded["test"]) == 465


def test_pinned_checksums_match_the_shared_copy(real_folder):
    from benchmark.provenance import sha256_file

    for pinned in get_spec(NAME).source.files:
        assert sha256_file(real_folder / pinned.path) == pinned.sha256, pinned.path


@pytest.mark.parametrize(
    ("field", "native", "update", "match"),
    [
        ("right", "名誉権", {"subtypes": ("slander",)}, "not illegal_subtypes"),
        ("right", "名誉権", {"label": "illegl"}, "expected a class id"),
        ("decision", "裁判所の認容", {"label": "illegl"}, "expected a class id"),
        ("result", "True", {"label": "illegal_maybe"}, "expected one of"),
        ("Skip", "その他", {"label": "none"}, "must exclude"),
    ],
)
def test_a_spec_mapping_outside_the_schema_is_refused(schema, field, native, update, match):
    spec = get_spec(NAME)
    mappings = tuple(
        m.model_copy(
            update={
                "rules": tuple(
                    r.model_copy(update=update) if r.native == native else r for r in m.rules
                )
            }
        )
        if m.field == field
        else m
        for m in spec.mappings
    )
    with pytest.raises(SchemaError, match=match):
        court_cases._check_spec(
            spec.model_copy(update={"mappings": mappings}), schema, ["not_illegal", "illegal"]
        )
