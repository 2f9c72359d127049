import json
from pathlib import Path

import pytest

from benchmark.annotation import quiz
from benchmark.annotation.guideline_render import examples_path
from benchmark.annotation.records import AnnotationError
from benchmark.cli import main


@pytest.fixture(scope="module")
def key(schema):
    return quiz.read_items(quiz.default_key_path(), schema, key=True)


def test_quiz_has_enough_valid_items_not_among_the_examples(key):
    assert len(key) >= 50
    example_texts = {
        json.loads(x)["text"] for x in examples_path().read_text(encoding="utf-8").splitlines()
    }
    assert not example_texts & {item["text"] for item in key.values()}
    labels = {item["label"] for item in key.values()}
    assert labels == {"illegal", "harmful", "criticism", "none"}
    assert all(item["explanation_ja"] and item["explanation_en"] for item in key.values())


def _answers(key, tmp_path: Path, change) -> Path:
    path = tmp_path / "answers.jsonl"
    rows = []
    for n, item in enumerate(key.values()):
        answer = {
            k: v for k, v in item.items() if k not in ("explanation_ja", "explanation_en", "text")
        }
        rows.append(change(n, answer))
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if r), encoding="utf-8"
    )
    return path


def _as_none(answer: dict) -> dict:
    return {**answer, "label": "none", "illegal_subtypes": [], "harmful_subtypes": []}


def test_perfect_answers_pass(key, schema, tmp_path, capsys):
    path = _answers(key, tmp_path, lambda n, a: a)
    result = quiz.score_quiz(key, quiz.read_items(path, schema, key=False), schema)
    assert result.passed and result.misses == []
    assert all(accuracy == 1.0 for accuracy in result.field_accuracy.values())
    assert main(["annotate", "quiz", "--answers", str(path)]) == 0
    assert "合格 / PASS" in capsys.readouterr().out


def test_wrong_answers_are_explained_and_fail_the_threshold(key, schema, tmp_path, capsys):
    wrong_ids = {
        item_id for n, item_id in enumerate(key) if n % 3 == 0 and key[item_id]["label"] != "none"
    }
    path = _answers(key, tmp_path, lambda n, a: _as_none(a) if a["id"] in wrong_ids else a)
    result = quiz.score_quiz(key, quiz.read_items(path, schema, key=False), schema, threshold=0.9)
    assert result.label_accuracy == pytest.approx(1 - len(wrong_ids) / len(key))
    assert not result.passed
    assert {m.item_id for m in result.misses} == wrong_ids
    for miss in result.misses:
        assert miss.fields["label"] == ("none", key[miss.item_id]["label"])
        assert miss.explanation_ja == key[miss.item_id]["explanation_ja"]
    assert sum(row["none"] for gold, row in result.confusion.items() if gold != "none") == len(
        wrong_ids
    )
    assert main(["annotate", "quiz", "--answers", str(path), "--threshold", "0.9"]) == 1
    out = capsys.readouterr().out
    assert "不合格 / FAIL" in out and key[next(iter(wrong_ids))]["explanation_ja"][:20] in out


def test_unanswered_items_count_as_wrong(key, schema, tmp_path):
    path = _answers(key, tmp_path, lambda n, a: a if n % 2 else None)
    result = quiz.score_quiz(key, quiz.read_items(path, schema, key=False), schema)
    answered = len(key) // 2
    assert result.label_accuracy == pytest.approx(answered / len(key))
    assert sum(row["unanswered"] for row in result.confusion.values()) == len(key) - answered


def test_bad_answer_files_give_clear_errors(key, schema, tmp_path, capsys):
    path = tmp_path / "answers.jsonl"
    path.write_text('{"id": "qz-999", "label": "none"}\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match="item 'qz-999' is not in the quiz"):
        quiz.score_quiz(key, quiz.read_items(path, schema, key=False), schema)
    path.write_text('{"id": "qz-001", "label": "違法かも"}\n', encoding="utf-8")
    assert main(["annotate", "quiz", "--answers", str(path)]) == 2
    assert f"{path}:1:" in capsys.readouterr().err
