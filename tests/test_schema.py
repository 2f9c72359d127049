from pathlib import Path

import pytest
import yaml

from benchmark import SchemaError, load_schema
from benchmark.schema import default_schema_path

VALID = {
    "label": "illegal",
    "illegal_subtypes": ["defamation"],
    "harmful_subtypes": [],
    "target_type": "private_individual",
    "identifiable": True,
    "claim_type": "fact",
    "speech_act": "original",
    "platform": "sns",
}


def test_classes_come_from_schema_yaml_in_order(schema):
    raw = yaml.safe_load(default_schema_path().read_text(encoding="utf-8"))
    assert schema.version == raw["version"] == "0.2"
    assert schema.class_ids == ("illegal", "harmful", "criticism", "none")
    assert [c.name_ja for c in schema.classes] == [c["name_ja"] for c in raw["classes"]]
    for class_def in schema.classes:
        assert class_def.name_en and class_def.definition_ja and class_def.definition_en


def test_schema_has_every_taxonomy_field(schema):
    fields = schema.fields
    assert set(fields["illegal_subtypes"].value_ids) == {
        "defamation", "insult", "privacy", "threat", "credit_business", "other_rights",
    }  # fmt: skip
    assert set(fields["harmful_subtypes"].value_ids) == {
        "abuse", "group_hate", "harassment", "sexual", "self_harm", "other",
    }  # fmt: skip
    assert set(fields["target_type"].value_ids) == {
        "private_individual", "public_official", "public_figure", "company", "group", "none",
    }  # fmt: skip
    assert fields["identifiable"].kind == "boolean"
    assert set(fields["claim_type"].value_ids) == {"fact", "opinion", "none"}
    assert set(fields["speech_act"].value_ids) == {
        "original", "quote", "counter_speech", "report", "satire", "question",
    }  # fmt: skip


def test_label_conversion_accepts_ids_indices_and_japanese_names(schema):
    assert schema.str2int("none") == 3
    assert schema.int2str(0) == "illegal"
    assert schema.to_indices(["criticism", 1, "正当な批判・論評"]) == [2, 1, 2]


def test_valid_record_passes(schema):
    schema.validate_record(VALID, required=tuple(VALID))


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ({"label": "Illegal"}, "label", "'Illegal'"),
        ({"target_type": "politician"}, "target_type", "'politician'"),
        ({"illegal_subtypes": ["libel"]}, "illegal_subtypes", "'libel'"),
        ({"identifiable": "yes"}, "identifiable", "'yes'"),
        ({"speech_act": "retweet"}, "speech_act", "'retweet'"),
    ],
)
def test_invalid_value_names_field_value_and_allowed_values(schema, change, field, value):
    with pytest.raises(SchemaError) as info:
        schema.validate_record({**VALID, **change}, where="posts.jsonl:7")
    message = str(info.value)
    assert message.startswith("posts.jsonl:7: ")
    assert f"'{field}'" in message and value in message
    assert "allowed values are" in message


def test_subtypes_must_match_the_class(schema):
    with pytest.raises(
        SchemaError, match="'harmful_subtypes' may only be set when label is one of"
    ):
        schema.validate_record({**VALID, "harmful_subtypes": ["abuse"]})
    with pytest.raises(
        SchemaError, match="label is 'illegal' but field 'illegal_subtypes' is empty"
    ):
        schema.validate_record({**VALID, "illegal_subtypes": []})


def test_missing_required_field_is_named(schema):
    record = {k: v for k, v in VALID.items() if k != "target_type"}
    with pytest.raises(SchemaError, match="required field 'target_type' is missing"):
        schema.validate_record(record, required=("target_type",))


def test_unsupported_schema_version_is_refused(tmp_path: Path):
    raw = yaml.safe_load(default_schema_path().read_text(encoding="utf-8"))
    raw["version"] = "9.9"
    path = tmp_path / "schema.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemaError, match=r"version '9.9'.*reads versions \['0.1', '0.2'\]"):
        load_schema(path)


def test_rate_naming_an_unknown_class_is_refused(tmp_path: Path):
    raw = yaml.safe_load(default_schema_path().read_text(encoding="utf-8"))
    raw["rates"]["illegal_miss_rate"]["gold"] = ["illegall"]
    path = tmp_path / "schema.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemaError, match=r"rates\.illegal_miss_rate names class 'illegall'"):
        load_schema(path)


def test_version_0_1_still_loads_and_its_records_stay_valid(schema):
    old = load_schema(version="0.1")
    assert old.version == "0.1" and old.class_ids == schema.class_ids
    assert set(old.fields) < set(schema.fields)
    old.validate_record(VALID, required=tuple(VALID))
    schema.validate_record(VALID, required=tuple(VALID))
    with pytest.raises(SchemaError, match=r"schema version '0\.9' is not available"):
        load_schema(version="0.9")


SPAN_RECORD = {
    **VALID,
    "text": "如月さんは横領している",
    "claim_type": "fact",
    "public_interest": "no",
    "public_purpose": "no",
    "truth_basis": "unsourced",
    "rationale_spans": [
        {"start": 0, "end": 3, "label": "TARGET", "text": "如月さ"},
        {"start": 5, "end": 7, "label": "FACT_ALLEGATION", "text": "横領"},
    ],
    "decision_path": ["S1", "S2", "S5"],
}


def test_schema_0_2_fields_spans_paths_and_rules(schema):
    schema.validate_record(SPAN_RECORD)
    bad_offsets = {
        **SPAN_RECORD,
        "rationale_spans": [{"start": 1, "end": 3, "label": "TARGET", "text": "如月"}],
    }
    with pytest.raises(SchemaError, match=r"text\[1:3\] is '月さ' but the span says '如月'"):
        schema.validate_record(bad_offsets)
    with pytest.raises(SchemaError, match=r"'rationale_spans\.label' has value 'VICTIM'"):
        schema.validate_record(
            {
                **SPAN_RECORD,
                "rationale_spans": [{"start": 0, "end": 2, "label": "VICTIM", "text": "如月"}],
            }
        )
    with pytest.raises(
        SchemaError, match=r"'decision_path' is \['S5', 'S1'\]; list each step once"
    ):
        schema.validate_record({**SPAN_RECORD, "decision_path": ["S5", "S1"]})
    with pytest.raises(SchemaError, match="'decision_path' has value 'S12'"):
        schema.validate_record({**SPAN_RECORD, "decision_path": ["S1", "S12"]})
    with pytest.raises(
        SchemaError, match="'truth_basis' is 'not_applicable' but claim_type is 'fact'"
    ):
        schema.validate_record({**SPAN_RECORD, "truth_basis": "not_applicable"})
    with pytest.raises(SchemaError, match="'identifiable' is False but label is 'illegal'"):
        schema.validate_record({**SPAN_RECORD, "identifiable": False})
    with pytest.raises(SchemaError, match="'public_interest' is 'no' but claim_type is 'opinion'"):
        schema.validate_record({**SPAN_RECORD, "claim_type": "opinion"})
