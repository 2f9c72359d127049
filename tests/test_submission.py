import json
from pathlib import Path

import numpy as np
import pytest

from benchmark import PredictionsError
from benchmark.submission import read_submission

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
    "bad_label": ([*GOOD[:2], {"id": "a3", "label": "Illegal"}], r":3: field 'label' is 'Illegal'; expected one of \['illegal'"),
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
        r":1: scores\['illegal'\] is nan; expected a finite number",
    ),
    "scores_on_some_lines": (
        [{"id": "a1", "label": "none", "scores": {"illegal": 0, "harmful": 0, "criticism": 0, "none": 1}}, *GOOD[1:]],
        r":2: 'scores' is missing here but given on earlier lines",
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


def test_cp932_file_is_reported_with_its_line_and_a_fix(tmp_path, schema):
    path = tmp_path / "sjis.jsonl"
    path.write_bytes(
        (json.dumps(GOOD[0]) + "\n" + '{"id": "a2", "label": "none", "note": "批判"}\n').encode(
            "cp932"
        )
    )
    with pytest.raises(
        PredictionsError, match=r"sjis.jsonl:2: the file is not UTF-8.*iconv -f CP932"
    ):
        _read(path, schema)


def test_missing_file_is_reported(tmp_path, schema):
    with pytest.raises(PredictionsError, match="file not found"):
        _read(tmp_path / "nope.jsonl", schema)
