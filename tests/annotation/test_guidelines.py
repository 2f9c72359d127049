"""The guideline package: both documents correspond section by section, cite their sources,
and include the worked examples generated from examples.jsonl, which cover every schema value."""

import json
import re
from collections import Counter

import pytest

from benchmark.annotation.guideline_render import (
    BEGIN,
    END,
    examples_path,
    guideline_path,
    read_examples,
    render_guidelines,
)

HEADING = re.compile(r"^(##|###) (\d+(?:\.\d+)?)[. ]", re.MULTILINE)


def _numbers(text: str) -> list[str]:
    return [m.group(2) for m in HEADING.finditer(text)]


@pytest.fixture(scope="module")
def docs():
    return {lang: guideline_path(lang).read_text(encoding="utf-8") for lang in ("ja", "en")}


@pytest.fixture(scope="module")
def examples(schema):
    return read_examples(examples_path(), schema)


def test_sections_correspond_one_to_one(docs):
    ja, en = _numbers(docs["ja"]), _numbers(docs["en"])
    assert ja == en
    assert [n for n in ja if "." not in n] == [str(i) for i in range(1, 13)]
    assert sum(1 for n in ja if n.startswith("8.")) == 10  # the ten edge cases
    for text in docs.values():  # every section and subsection heading is numbered
        for line in text.splitlines():
            if line.startswith(("## ", "### ")):
                assert HEADING.match(line), line


@pytest.mark.parametrize(
    ("lang", "citations"),
    [
        ("ja", ["刑法230条", "230条の2", "231条", "222条", "233条", "709条", "723条",
                "最判昭和41年6月23日", "最判平成9年9月9日", "最判平成22年4月13日", "最判平成14年9月24日",
                "東京地判昭和39年9月28日", "最判令和4年6月24日", "```mermaid"]),
        ("en", ["230", "230-2", "231", "222", "233", "709", "723", "Supreme Court", "1966", "1997",
                "2010", "2002", "1964", "2022", "```mermaid"]),
    ],
)  # fmt: skip
def test_documents_cite_their_legal_sources(docs, lang, citations):
    missing = [c for c in citations if c not in docs[lang]]
    assert not missing, missing


def test_decision_steps_appear_in_both_documents(docs, schema):
    for step in schema.decision_tree:
        assert step.id in docs["ja"] and step.id in docs["en"]


def test_examples_are_valid_and_cover_every_schema_value_twice(examples, schema):
    assert len(examples) >= 100
    assert len({e["id"] for e in examples}) == len(examples)
    counts: Counter = Counter()
    for e in examples:
        counts[("label", e["label"])] += 1
        for name, field in schema.fields.items():
            value = e.get(name)
            if field.kind in ("multi", "path"):
                counts.update((name, v) for v in value or [])
            elif field.kind == "spans":
                counts.update((name, s["label"]) for s in value or [])
            elif value is not None:
                counts[(name, value)] += 1
    expected = [("label", c) for c in schema.class_ids]
    for name, field in schema.fields.items():
        if field.kind == "boolean":
            expected += [(name, True), (name, False)]
        elif field.kind == "path":
            expected += [(name, s.id) for s in schema.decision_tree]
        else:
            expected += [(name, v) for v in field.value_ids]
    rare = {key: counts[key] for key in expected if counts[key] < 2}
    assert not rare, rare


def test_generated_examples_are_in_both_documents_and_up_to_date(docs, examples, schema):
    assert render_guidelines(schema, check=True) == []
    for text in docs.values():
        block = text[text.index(BEGIN) : text.index(END)]
        for e in examples:
            assert f"#### {e['id']} " in block
    assert examples[0]["rationale_ja"] in docs["ja"] and examples[0]["rationale_en"] in docs["en"]


def test_examples_file_is_one_json_object_per_line():
    for line in examples_path().read_text(encoding="utf-8").splitlines():
        assert isinstance(json.loads(line), dict)
