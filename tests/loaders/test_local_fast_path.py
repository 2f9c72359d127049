"""local: the columnar fast path and the row-by-row reader build identical datasets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from datasets import Dataset

from benchmark import load_dataset
from benchmark.errors import SchemaError
from benchmark.loaders import local

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "local"
SCORES_OPTIONS = {
    "text_column": "本文",
    "label_column": "判定",
    "label_map": {0: "none", "1": "harmful", 2: "illegal"},
    "unmapped": "exclude",
}


def load_both(monkeypatch, path: Path, **options: Any) -> tuple[Dataset, Dataset, bool]:
    """The split loaded as usual and row by row, and whether the usual load took the fast path."""
    built = []
    build_columns = local.build_columns

    def recording_build_columns(*args: Any) -> Any:
        built.append(build_columns(*args))
        return built[-1]

    monkeypatch.setattr(local, "build_columns", recording_build_columns)
    usual = load_dataset("local", path=path, **options)["test"]
    monkeypatch.setattr(local, "read_columns", lambda *a, **k: None)
    slow = load_dataset("local", path=path, **options)["test"]
    return usual, slow, bool(built) and built[0] is not None


def assert_same(usual: Dataset, slow: Dataset) -> None:
    assert usual.data.table.equals(slow.data.table, check_metadata=True)
    assert usual.info == slow.info
    assert usual._fingerprint == slow._fingerprint
    assert list(usual) == list(slow)


@pytest.mark.parametrize(
    ("name", "options", "fast"),
    [
        ("posts.csv", {}, True),
        ("posts.tsv", {}, True),
        ("posts_bom.csv", {}, True),
        ("scores.csv", SCORES_OPTIONS, True),
        ("posts.jsonl", {}, False),
    ],
)
def test_fixtures_load_the_same_either_way(monkeypatch, name, options, fast):
    usual, slow, took_fast_path = load_both(monkeypatch, FIXTURES / name, **options)
    assert took_fast_path is fast
    assert_same(usual, slow)


CSV_CASES = {  # name: (content, whether the fast path takes it)
    "quoted fields with delimiters, quotes and line breaks": (
        'id,text,label\n"a,1","say ""hi"", then\nleave"," 違法 "\nb,plain,none\n',
        True,
    ),
    "CRLF and blank lines": ("id,text,label\r\na,x,none\r\n\r\nb,y,批判\r\n\r\n", True),
    "lone CR line ends and a NUL": ("id,text,label\ra,x\x00,none\r\rb,y,none\r", True),
    "labels with surrounding and full-width spaces": (
        "text,label\nx,\u3000有害\u3000\ny,\tnone \n",
        True,
    ),
    "header only": ("id,text,label\n", True),
    "header only, no line break": ("id,text,label", False),
    "extra columns in any order": ("label,score,text,id\nnone,0.1,x,a\nillegal,0.9,y,b\n", True),
}


@pytest.mark.parametrize(("content", "fast"), CSV_CASES.values(), ids=CSV_CASES.keys())
def test_delimited_files_load_the_same_either_way(monkeypatch, tmp_path, content, fast):
    path = tmp_path / "posts.csv"
    path.write_text(content, "utf-8", newline="")
    usual, slow, took_fast_path = load_both(monkeypatch, path)
    assert took_fast_path is fast
    assert_same(usual, slow)


def test_duplicate_header_names_take_the_row_by_row_reader(monkeypatch, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("id,text,label,label\na,x,none,illegal\n", "utf-8")
    usual, slow, took_fast_path = load_both(monkeypatch, path)
    assert not took_fast_path
    assert_same(usual, slow)
    assert usual["label"] == [0]  # the last 'label' column, as dict(zip(header, row)) keeps


def test_excluded_rows_keep_their_row_numbers_and_counts(monkeypatch, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("text,label\nx,none\ny,?\nz,illegal\nw,?\nv, 0 \n", "utf-8")
    options = {"unmapped": "exclude", "label_map": {"0": "harmful"}}
    usual, slow, took_fast_path = load_both(monkeypatch, path, **options)
    assert took_fast_path
    assert_same(usual, slow)
    assert usual["id"] == ["row-1", "row-3", "row-5"]
    assert "2 rows with unmapped labels excluded ({'?': 2})" in usual.info.description


@pytest.mark.parametrize(
    ("labels", "fast"), [(["違法", " none "], True), ([1, 0], False), (["none", None], False)]
)
def test_parquet_loads_the_same_either_way(monkeypatch, tmp_path, labels, fast):
    path = tmp_path / "posts.parquet"
    Dataset.from_dict({"id": ["a", "b"], "text": ["x", "y"], "label": labels}).to_parquet(path)
    options = {"label_map": {"1": "illegal", "0": "none", "": "none"}}
    usual, slow, took_fast_path = load_both(monkeypatch, path, **options)
    assert took_fast_path is fast
    assert_same(usual, slow)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("id,text,label\na,x,none\na,y,none\n", r":3: id 'a' already used at .*:2"),
        ("id,text,label\na,x,none\n ,y,none\n", r":3: field 'id' is empty"),
        ("id,text,label\na,x,none\nb, ,none\n", r":3: field 'text' is ' '"),
        ("id,text,label\na,x,none\nb,y,what\n", r":3: field 'label' has value 'what'"),
        ('id,text,label\na,"x"y,none\n', r":2: malformed CSV"),
        ("id,text,label\na,x\n", r":2: row has 2 fields but the header has 3"),
        ('id,text,label\na,"x,y",none\nb,z\n', r":3: row has 2 fields but the header has 3"),
        ("id,text,label\na,x,none\n \n", r":3: row has 1 fields but the header has 3"),
        ("text,label\n" + "x" * 200_000 + ",none\n", r":2: malformed CSV \(field larger"),
    ],
)
def test_problems_found_by_the_fast_path_are_named_by_line(tmp_path, content, match):
    path = tmp_path / "posts.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(SchemaError, match=match):
        load_dataset("local", path=path)
