import functools
import json
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark import PredictionsError
from benchmark.submission import read_submission, sha256_file

IDS = ["a1", "a2", "a3"]


def _write(tmp_path: Path, lines: list, name: str = "preds.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
        + "\n",
        encoding="utf-8",
    )
    return path


def _read(path: Path, schema):
    return read_submission(path, ids=IDS, schema=schema, dataset="hibo_core/test")


def test_valid_file_is_aligned_to_dataset_order(tmp_path, schema):
    scores = {"illegal": 0.1, "harmful": 0.2, "criticism": 0.3, "none": 0.4}
    path = _write(
        tmp_path,
        [
            {"id": "a3", "label": "none", "scores": scores},
            {"id": "a1", "label": "illegal", "scores": scores, "extra": 1},
            "",
            {"id": "a2", "label": "criticism", "scores": scores},
        ],
    )
    sub = _read(path, schema)
    np.testing.assert_array_equal(sub.labels, [0, 2, 3])
    np.testing.assert_allclose(sub.scores[0], [0.1, 0.2, 0.3, 0.4])
    assert len(sub.sha256) == 64


def test_utf8_bom_and_integer_ids_are_accepted(tmp_path, schema):
    path = tmp_path / "bom.jsonl"
    lines = [json.dumps({"id": i, "label": "none"}) for i in (1, 2, 3)]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    sub = read_submission(path, ids=["1", "2", "3"], schema=schema, dataset="x/test")
    assert sub.scores is None and list(sub.labels) == [3, 3, 3]


GOOD = [{"id": "a1", "label": "none"}, {"id": "a2", "label": "none"}, {"id": "a3", "label": "none"}]

BAD_FILES = {
    "unknown_id": ([*GOOD, {"id": "zz", "label": "none"}], r":4: id 'zz' is not an item of hibo_core/test"),
    "missing_id": (GOOD[:2], r"1 of 3 items of hibo_core/test have no prediction \(first missing id: 'a3'\)"),
    "duplicate_id": ([*GOOD, GOOD[0]], r":4: id 'a1' already appeared on line 1; keep exactly one"),
    "bad_label": ([*GOOD[:2], {"id": "a3", "label": "defamation"}], r":3: label 'defamation' is not a class; expected a class id \['illegal'"),
    "malformed_json": ([*GOOD[:2], '{"id": "a3", "label": '], r":3: malformed JSON .*each line must be one JSON object"),
    "not_an_object": ([*GOOD[:2], "[1, 2]"], r":3: expected a JSON object, found list"),
    "no_label": ([*GOOD[:2], {"id": "a3"}], r":3: field 'label' is missing"),
    "no_id": ([{"label": "none"}], r":1: field 'id' is missing"),
    "empty": ([], r"holds no predictions"),
    "partial_scores": (
        [{"id": "a1", "label": "none", "scores": {"none": 1.0}}, *GOOD[1:]],
        r":1: field 'scores' must map every class",
    ),
    "nan_score": (
        [{"id": "a1", "label": "none", "scores": {"illegal": float("nan"), "harmful": 0, "criticism": 0, "none": 1}}],
        r":1: scores \{'illegal': nan, .*\} include NaN or infinity; expected finite probabilities",
    ),
    "scores_on_some_lines": (
        [{"id": "a1", "label": "none", "scores": {"illegal": 0, "harmful": 0, "criticism": 0, "none": 1}}, *GOOD[1:]],
        r":2: scores are missing here but given on line 1; give scores on every row or on none",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_gives_one_line_error_with_file_and_line(tmp_path, schema, case):
    lines, pattern = BAD_FILES[case]
    path = _write(tmp_path, lines) if lines else tmp_path / "preds.jsonl"
    if not lines:
        path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(PredictionsError, match=pattern) as info:
        _read(path, schema)
    message = str(info.value)
    assert "\n" not in message and str(path) in message


def test_bytes_neither_utf8_nor_cp932_are_reported_with_their_line_and_a_fix(tmp_path, schema):
    path = tmp_path / "garbage.jsonl"
    path.write_bytes(json.dumps(GOOD[0]).encode() + b"\n" + b'{"id": "a2", "label": "\x81"}\n')
    with pytest.raises(
        PredictionsError, match=r"garbage.jsonl:2: the file is neither UTF-8 nor CP932.*iconv -f"
    ):
        _read(path, schema)


def test_missing_file_is_reported(tmp_path, schema):
    with pytest.raises(PredictionsError, match="file not found"):
        _read(tmp_path / "nope.jsonl", schema)


# -- formats, encodings, aliases, scores: realistic submissions on HiboCore's test split ----------

N_ITEMS = 40
CLASSES = ("illegal", "harmful", "criticism", "none")
MEMO = "根拠：選挙公報に財源の記載なし、と判断"  # a Japanese free-text field a team might add


@pytest.fixture(scope="module")
def core_test():
    return _core_test()


@functools.cache
def _core_test():
    """The first items of HiboCore's test split, with gold labels as predictions and scores that
    are exact decimals summing to one."""
    from benchmark import load_dataset

    test = load_dataset("hibo_core")["test"].select(range(N_ITEMS))
    rng = np.random.default_rng(7)
    raw = rng.dirichlet(np.ones(4), size=N_ITEMS).round(3)
    raw[:, 3] = (1000 - (raw[:, :3] * 1000).round().sum(axis=1)) / 1000
    return list(test["id"]), np.asarray(test["label"]), raw


def _rows(core_test, *, scores=True, labels=None):
    ids, gold, raw = core_test
    out = []
    for i, item_id in enumerate(ids):
        row = {"id": item_id, "label": labels[i] if labels else CLASSES[gold[i]], "memo": MEMO}
        if scores:
            row["scores"] = dict(zip(CLASSES, raw[i].tolist(), strict=True))
        out.append(row)
    return out


def _jsonl_text(rows) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _delimited_text(rows, sep=",") -> str:
    has_scores = "scores" in rows[0]
    header = ["id", "label", "memo"] + ([f"score_{c}" for c in CLASSES] if has_scores else [])
    lines = [sep.join(header)]
    for r in rows:
        cells = [str(r["id"]), r["label"], r["memo"]]
        cells += [repr(r["scores"][c]) for c in CLASSES] if has_scores else []
        lines.append(sep.join(cells))
    return "\n".join(lines) + "\n"


def _save(tmp_path, name, text, *, encoding="utf-8", newline="\n", bom=False) -> Path:
    path = tmp_path / name
    data = text.replace("\n", newline).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def _read_core(path, schema, core_test, **options):
    return read_submission(
        path, ids=core_test[0], schema=schema, dataset="hibo_core/test", **options
    )


def _assert_exact(sub, core_test, *, scores=True):
    np.testing.assert_array_equal(sub.labels, core_test[1])
    if scores:
        np.testing.assert_array_equal(sub.scores, core_test[2])
    else:
        assert sub.scores is None


@pytest.mark.parametrize(
    ("name", "writer"),
    [
        ("preds.jsonl", _jsonl_text),
        ("preds.json", _jsonl_text),
        ("preds.csv", _delimited_text),
        ("preds.tsv", lambda rows: _delimited_text(rows, "\t")),
        ("preds.txt", _jsonl_text),
        ("tab.txt", lambda rows: _delimited_text(rows, "\t")),
    ],
)
def test_every_format_reads_the_same_predictions(tmp_path, schema, core_test, name, writer):
    rows = _rows(core_test)[::-1]  # any order
    sub = _read_core(_save(tmp_path, name, writer(rows)), schema, core_test)
    _assert_exact(sub, core_test)
    expected_format = {"json": "jsonl", "txt": "jsonl" if "preds" in name else "tsv"}
    assert sub.format == expected_format.get(name.split(".")[1], name.split(".")[1])
    assert sub.notices == (f"{sub.path}: ignored fields ['memo']; only id, label and scores "
                           "(score_<class id> columns in CSV/TSV) are read.",)  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "bom", "newline", "reported"),
    [
        ("utf-8", False, "\n", "utf-8"),
        ("utf-8", True, "\n", "utf-8-sig"),
        ("utf-8", True, "\r\n", "utf-8-sig"),
        ("cp932", False, "\r\n", "cp932"),
    ],
)
@pytest.mark.parametrize("name", ["preds.jsonl", "preds.csv"])
def test_encodings_and_line_endings_are_detected_and_reported(
    tmp_path, schema, core_test, encoding, bom, newline, reported, name
):
    writer = _jsonl_text if name.endswith("jsonl") else _delimited_text
    path = _save(
        tmp_path, name, writer(_rows(core_test)), encoding=encoding, newline=newline, bom=bom
    )
    sub = _read_core(path, schema, core_test)
    _assert_exact(sub, core_test)
    assert sub.encoding == reported
    assert sub.provenance()["encoding"] == reported and sub.provenance()["format"] in name
    assert any("read as CP932" in n for n in sub.notices) == (reported == "cp932")


def test_an_encoding_can_be_named(tmp_path, schema, core_test):
    path = _save(tmp_path, "p.csv", _delimited_text(_rows(core_test)), encoding="cp932")
    assert _read_core(path, schema, core_test, encoding="shift_jis").encoding == "shift_jis"
    with pytest.raises(PredictionsError, match=r"p.csv:2: the file is not UTF-8"):
        _read_core(path, schema, core_test, encoding="utf-8")


def test_japanese_and_english_label_aliases(tmp_path, schema, core_test):
    gold = core_test[1]
    spellings = {
        "illegal": ["違法", "権利侵害情報・違法情報", "ILLEGAL", "ｉｌｌｅｇａｌ", " illegal "],
        "harmful": ["有害", "有害情報", "Harmful"],
        "criticism": ["批判", "正当な批判", "正当な批判・論評", "Criticism"],
        "none": ["該当なし", "None", "ｎｏｎｅ", "　該当なし　"],
    }
    labels = [spellings[CLASSES[g]][i % len(spellings[CLASSES[g]])] for i, g in enumerate(gold)]
    rows = _rows(core_test, scores=False, labels=labels)
    for name, text in (("a.jsonl", _jsonl_text(rows)), ("a.csv", _delimited_text(rows))):
        _assert_exact(
            _read_core(_save(tmp_path, name, text), schema, core_test), core_test, scores=False
        )


def test_integer_ids_match_string_ids(tmp_path, schema):
    path = _write(
        tmp_path,
        [{"id": 3, "label": "批判"}, {"id": 1, "label": "違法"}, {"id": "2", "label": "有害"}],
    )
    sub = read_submission(path, ids=["1", "2", "3"], schema=schema, dataset="x/test")
    assert list(sub.labels) == [0, 1, 2]


def test_scores_must_sum_to_one_unless_renormalised(tmp_path, schema, core_test):
    rows = _rows(core_test)
    rows[5]["scores"] = {c: 2 * v for c, v in rows[5]["scores"].items()}
    path = _save(tmp_path, "p.jsonl", _jsonl_text(rows))
    with pytest.raises(
        PredictionsError, match=r"p.jsonl:6: scores \{.*\} sum to 2; .*--renormalise-scores"
    ):
        _read_core(path, schema, core_test)
    sub = _read_core(path, schema, core_test, renormalise_scores=True)
    np.testing.assert_allclose(sub.scores, core_test[2] / core_test[2].sum(axis=1)[:, None])
    assert any("renormalised the scores of 1 of 40 rows" in n for n in sub.notices)


@pytest.mark.parametrize(
    ("value", "renormalise", "pattern"),
    [
        (float("nan"), False, "include NaN or infinity"),
        (float("inf"), True, "include NaN or infinity"),
        (-0.1, True, "include a negative value"),
        (0.0, True, "sum to 0; cannot renormalise"),
    ],
)
def test_bad_scores_are_errors_even_when_renormalising(
    tmp_path, schema, core_test, value, renormalise, pattern
):
    rows = _rows(core_test)
    rows[9]["scores"] = dict.fromkeys(CLASSES, 0.0) | {"harmful": value}
    path = _save(tmp_path, "p.csv", _delimited_text(rows))
    with pytest.raises(PredictionsError, match=f"p.csv:11: scores .*{pattern}"):
        _read_core(path, schema, core_test, renormalise_scores=renormalise)


BAD_DELIMITED = {
    "header_only": ("id,label\n", r"p.csv: the file holds no predictions"),
    "no_label_column": ("id,prediction\na1,none\n", r"p.csv:1: the header \['id', 'prediction'\] has no column 'label'"),
    "some_score_columns": ("id,label,score_illegal\na1,none,1\n", r"p.csv:1: score columns \['score_harmful', 'score_criticism', 'score_none'\] are missing"),
    "scores_on_some_rows": ("id,label,score_illegal,score_harmful,score_criticism,score_none\na1,none,0,0,0,1\na2,none,,,,\n", r"p.csv:3: scores are missing here but given on line 2"),
    "score_not_a_number": ("id,label,score_illegal,score_harmful,score_criticism,score_none\na1,none,0,0,0,1\na2,none,0,0,x,1\n", r"p.csv:3: column 'score_criticism' is 'x'; expected a number"),
    "short_row": ("id,label\na1,none\na2\n", r"p.csv:3: the row has 1 fields but the header has 2"),
    "bad_quoting": ('id,label\na1,"no"ne\n', r"p.csv:2: malformed CSV/TSV"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_DELIMITED))
def test_bad_csv_gives_one_line_error(tmp_path, schema, case):
    text, pattern = BAD_DELIMITED[case]
    path = _save(tmp_path, "p.csv", text)
    with pytest.raises(PredictionsError, match=pattern) as info:
        _read(path, schema)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("name", "data", "pattern"),
    [
        ("p.jsonl", b"", r"p.jsonl: the file is empty \(0 bytes\)"),
        ("p.csv", b"\r\n  \n", r"p.csv: the file holds no predictions, only blank lines"),
        ("p.xlsx", b"PK\x03\x04", r"p.xlsx: cannot tell the format from the suffix '.xlsx'"),
    ],
)
def test_empty_or_unknown_files(tmp_path, schema, name, data, pattern):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PredictionsError, match=pattern):
        _read(path, schema)


def test_a_problem_on_a_large_file_is_located_by_the_line_reader(tmp_path, schema):
    ids = [f"post-{i:05d}" for i in range(20_000)]
    rows = [{"id": i, "label": "none"} for i in ids]
    rows[15_000] = {"id": ids[14_999], "label": "none"}
    path = _write(tmp_path, rows)
    with pytest.raises(
        PredictionsError, match=r"preds.jsonl:15001: id 'post-14999' already appeared on line 15000"
    ):
        read_submission(path, ids=ids, schema=schema, dataset="big/test")


# -- the columnar and the line-by-line reader agree; corrupted files fail cleanly -----------------


def _outcome(path: Path, schema, ids, *, columnar: bool):
    from benchmark.submission import _Context, _read

    ctx = _Context(path, ids, "hibo_core/test", schema, False)
    try:
        sub = _read(path, ctx, None, columnar=columnar)
    except PredictionsError as err:
        return str(err)
    return sub


def _corrupt(data: bytes, kind: str, draw) -> bytes:
    lines = data.split(b"\n")
    body = [i for i, line in enumerate(lines) if line.strip()][1:]  # never the CSV header / line 1
    at = draw(st.sampled_from(body)) if body else 0
    where = draw(st.integers(0, len(data)))
    if kind == "truncate":
        return data[:where]
    if kind == "delete_line":
        return b"\n".join(lines[:at] + lines[at + 1 :])
    if kind == "duplicate_line":
        return b"\n".join(lines[: at + 1] + lines[at:])
    if kind == "junk_label":
        return data.replace(
            b"none", draw(st.sampled_from([b"nothing", b"", b"\xe4\xb8\x8d\xe6\x98\x8e"])), 1
        )
    if kind == "bad_score":
        return data.replace(b"0.", draw(st.sampled_from([b"-0.", b"NaN", b"1e309*", b"9."])), 1)
    if kind == "bom_inside":
        return b"\n".join([*lines[:at], b"\xef\xbb\xbf" + lines[at], *lines[at + 1 :]])
    if kind == "garbage":
        return data[:where] + draw(st.binary(min_size=1, max_size=4)) + data[where:]
    if kind == "drop_field":
        return re.sub(
            rb'"memo": "[^"]*", |"scores": \{[^}]*\}',
            b"",
            data,
            count=0 if draw(st.booleans()) else 1,
        )
    if kind == "reorder":
        return b"\n".join(lines[:1] + draw(st.permutations(lines[1:])))
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    if kind == "cp932":
        return data.decode("utf-8").encode("cp932")
    raise AssertionError(kind)


HARMLESS = {"reorder", "crlf", "cp932"}
CORRUPTIONS = sorted(HARMLESS | {"truncate", "delete_line", "duplicate_line", "junk_label",
                                 "bad_score", "bom_inside", "garbage", "drop_field"})  # fmt: skip


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(["jsonl", "csv", "tsv"]),
    kinds=st.lists(st.sampled_from(CORRUPTIONS), min_size=1, max_size=3),
    data=st.data(),
)
def test_corrupted_files_score_exactly_or_fail_with_one_line(fmt, kinds, data):
    from benchmark import load_schema

    schema, core_test = load_schema(), _core_test()
    rows = _rows(core_test)
    text = (
        _jsonl_text(rows)
        if fmt == "jsonl"
        else _delimited_text(rows, "\t" if fmt == "tsv" else ",")
    )
    raw = text.encode("utf-8")
    for kind in kinds:
        if kind == "cp932" and not _is_utf8(raw):
            continue
        raw = _corrupt(raw, kind, data.draw)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"preds.{fmt}"
        path.write_bytes(raw)
        fast = _outcome(path, schema, core_test[0], columnar=True)
        slow = _outcome(path, schema, core_test[0], columnar=False)
    if isinstance(fast, str):
        assert fast == slow
        assert "\n" not in fast and fast.startswith(str(path))
        line = re.match(re.escape(str(path)) + r":(\d+):", fast)
        assert line is None or 1 <= int(line.group(1)) <= raw.count(b"\n") + 1
        assert not set(kinds) <= HARMLESS, fast
        return
    assert not isinstance(slow, str), slow
    np.testing.assert_array_equal(fast.labels, slow.labels)
    np.testing.assert_array_equal(fast.labels, core_test[1])
    if fast.scores is None:  # the scores field was dropped from every line
        assert slow.scores is None and "drop_field" in kinds
    else:
        np.testing.assert_array_equal(fast.scores, slow.scores)
        np.testing.assert_allclose(fast.scores, core_test[2], rtol=0, atol=1e-12)
    assert (fast.encoding, fast.format, fast.notices) == (slow.encoding, slow.format, slow.notices)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8").encode("cp932")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return False
    return True


# -- end to end through `hibobench score` ------------------------------------------------------


def _score_cli(tmp_path, preds: Path, *flags: str):
    from tests.conftest import hibobench

    return hibobench(
        "score", "--predictions", str(preds), *flags, "tracking=none", "bootstrap.n_resamples=50",
        cwd=tmp_path,
    )  # fmt: skip


def _whole_test_split(hibo_core, *, scale: float = 1.0) -> list[dict]:
    names = ["違法", "有害", "正当な批判", "該当なし"]
    rows = []
    for item_id, gold in zip(hibo_core["test"]["id"], hibo_core["test"]["label"], strict=True):
        scores = [0.1] * 4
        scores[gold] = 0.7
        rows.append({"id": item_id, "label": names[gold], "memo": "確認済み",
                     "scores": {c: s * scale for c, s in zip(CLASSES, scores, strict=True)}})  # fmt: skip
    return rows


@pytest.mark.integration
def test_cp932_csv_with_crlf_and_japanese_labels_is_scored_end_to_end(tmp_path, hibo_core):
    from benchmark.result import load_result

    preds = _save(tmp_path, "チームA.csv", _delimited_text(_whole_test_split(hibo_core)),
                  encoding="cp932", newline="\r\n")  # fmt: skip
    done = _score_cli(tmp_path, preds)
    assert done.returncode == 0, done.stderr
    assert "hibobench: notice:" in done.stderr and "read as CP932" in done.stderr
    assert "ignored fields ['memo']" in done.stderr
    (result_path,) = tmp_path.rglob("result.json")
    result = load_result(result_path)
    assert result.scores["headline"]["macro_f1"]["value"] == 1.0
    assert result.provenance.submission == {
        "path": str(preds), "sha256": sha256_file(preds), "format": "csv", "encoding": "cp932",
    }  # fmt: skip


@pytest.mark.integration
def test_renormalise_and_encoding_flags_reach_the_reader(tmp_path, hibo_core):
    from benchmark.result import load_result

    preds = _save(tmp_path, "raw.jsonl", _jsonl_text(_whole_test_split(hibo_core, scale=3.0)),
                  encoding="cp932")  # fmt: skip
    refused = _score_cli(tmp_path, preds)
    assert refused.returncode == 2 and "raw.jsonl:1: scores" in refused.stderr
    assert "--renormalise-scores" in refused.stderr and "Traceback" not in refused.stderr
    done = _score_cli(tmp_path, preds, "--renormalise-scores", "--encoding", "cp932")
    assert done.returncode == 0, done.stderr
    assert f"renormalised the scores of {len(hibo_core['test'])} of" in done.stderr
    (result_path,) = tmp_path.rglob("result.json")
    assert load_result(result_path).provenance.submission["encoding"] == "cp932"
