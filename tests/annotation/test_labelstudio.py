"""Label Studio config, export and import, and the full annotation round trip:
export → Label Studio export with two annotators → import → agree → disagreements → gold."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from label_studio_sdk.label_interface import LabelInterface

from benchmark.annotation.labelstudio import labeling_config
from benchmark.cli import main


@pytest.fixture(scope="module")
def interface(schema):
    return LabelInterface(labeling_config(schema))


def ls_result(values: dict, text: str) -> list[dict]:
    """What Label Studio stores for an annotation with these field values."""
    result = []
    for name, value in values.items():
        if name == "rationale_spans":
            for span in value:
                result.append(
                    {"from_name": name, "to_name": "text", "type": "labels",
                     "value": {"start": span["start"], "end": span["end"], "text": span["text"], "labels": [span["label"]]}}
                )  # fmt: skip
            continue
        if value == [] or value is None:
            continue
        choices = (
            value
            if isinstance(value, list)
            else ["true" if value is True else "false" if value is False else value]
        )
        result.append(
            {"from_name": name, "to_name": "text", "type": "choices", "value": {"choices": choices}}
        )
    return result


def test_config_is_valid_and_generated_from_the_schema(schema, interface):
    root = ET.fromstring(labeling_config(schema))
    controls = {c.attrib["name"]: c for c in root.iter("Choices")}
    assert [c.attrib["value"] for c in controls["label"]] == list(schema.class_ids)
    assert (
        controls["label"].attrib["choice"] == "single"
        and controls["label"].attrib["required"] == "true"
    )
    annotated = {n for n, f in schema.fields.items() if f.annotated and f.kind != "spans"}
    assert set(controls) == {"label", *annotated}
    assert "platform" not in controls and "edge_cases" not in controls
    for view in root.iter("View"):
        if view.attrib.get("visibleWhen") == "choice-selected":
            (inner,) = view.iter("Choices")
            assert view.attrib["whenChoiceValue"] == ",".join(
                schema.fields[inner.attrib["name"]].applies_to
            )
    spans = {label.attrib["value"] for label in root.iter("Label")}
    assert spans == set(schema.fields["rationale_spans"].value_ids)
    assert {"label", "illegal_subtypes", "rationale_spans"} <= {c.name for c in interface.controls}


def test_every_worked_example_is_a_valid_label_studio_annotation(interface):
    from benchmark.annotation.guideline_render import examples_path

    for line in examples_path().read_text(encoding="utf-8").splitlines():
        example = json.loads(line)
        names = {c.name for c in interface.controls}
        values = {k: v for k, v in example.items() if k in names and k != "label"}
        result = ls_result({"label": example["label"], **values}, example["text"])
        assert interface.validate_annotation({"result": result}), example["id"]


def _run(*argv: str) -> int:
    return main(list(argv))


def test_round_trip_export_import_agree_adjudicate(
    tmp_path: Path, hibo_core, schema, interface, capsys
):
    test = hibo_core["test"]
    ids, golds = list(test["id"])[:30], [schema.int2str(y) for y in test["label"][:30]]
    preds = tmp_path / "preds.jsonl"
    preds.write_text(
        "".join(
            json.dumps({"id": i, "label": schema.int2str(y)}) + "\n"
            for i, y in zip(test["id"], test["label"], strict=True)
        ),
        encoding="utf-8",
    )
    tasks_path = tmp_path / "tasks.json"
    assert (
        _run(
            "annotate",
            "export",
            "--dataset",
            "hibo_core",
            "--split",
            "test",
            "--predictions",
            str(preds),
            "--out",
            str(tasks_path),
        )
        == 0
    )
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    assert len(tasks) == len(test) and tasks[0]["data"]["item_id"] == test["id"][0]
    assert tasks[0]["predictions"][0]["result"][0]["value"]["choices"] == [golds[0]]
    assert all(interface.validate_prediction(t["predictions"][0]) for t in tasks)

    # Two annotators label the first 30 tasks; B disagrees on every third item.
    export = []
    for n, (task, gold) in enumerate(zip(tasks[:30], golds, strict=True)):
        other = "criticism" if gold != "criticism" else "none"
        annotations = []
        for who, label in (
            ({"id": 1, "email": "a@example.org"}, gold),
            (7, other if n % 3 == 0 else gold),
        ):
            values = {
                "label": label,
                "target_type": "company",
                "identifiable": True,
                "claim_type": "opinion",
            }
            if label == "illegal":
                values["illegal_subtypes"] = ["defamation"]
            if label == "harmful":
                values["harmful_subtypes"] = ["abuse"]
            result = ls_result(values, task["data"]["text"])
            assert interface.validate_annotation({"result": result})
            annotations.append(
                {"id": len(export) * 10 + len(annotations), "completed_by": who, "result": result}
            )
        annotations.append({"id": 999, "completed_by": 9, "was_cancelled": True, "result": []})
        export.append({"id": n, "data": task["data"], "annotations": annotations})
    export_path = tmp_path / "export.json"
    export_path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")

    records_path = tmp_path / "records.jsonl"
    assert _run("annotate", "import", str(export_path), "--out", str(records_path)) == 0
    records = [json.loads(x) for x in records_path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 60 and {r["annotator"] for r in records} == {"a@example.org", "7"}

    queue = tmp_path / "queue.jsonl"
    report = tmp_path / "report.json"
    assert (
        _run(
            "agree",
            str(records_path),
            "--disagreements",
            str(queue),
            "--json",
            str(report),
            "--n-resamples",
            "200",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "label" in out and "α" in out
    label_agreement = json.loads(report.read_text(encoding="utf-8"))["fields"][0]
    assert label_agreement["field"] == "label" and 0 < label_agreement["alpha"] < 1
    pending = [json.loads(x) for x in queue.read_text(encoding="utf-8").splitlines()]
    assert len(pending) == 10 and all("label" in p["disagreeing_fields"] for p in pending)

    gold_path = tmp_path / "gold.jsonl"
    assert (
        _run(
            "annotate",
            "adjudicate",
            str(records_path),
            "--decisions",
            str(queue),
            "--out",
            str(gold_path),
        )
        == 2
    )
    assert "has no decision yet" in capsys.readouterr().err

    decided = tmp_path / "decided.jsonl"
    expected = {}
    with decided.open("w", encoding="utf-8") as handle:
        for item in pending:
            gold = golds[ids.index(item["item_id"])]
            decision = {"label": gold}
            if gold == "illegal":
                decision["illegal_subtypes"] = ["defamation"]
            if gold == "harmful":
                decision["harmful_subtypes"] = ["abuse"]
            expected[item["item_id"]] = gold
            handle.write(
                json.dumps(
                    {**item, "decision": decision, "adjudicator": "lead"}, ensure_ascii=False
                )
                + "\n"
            )
    assert (
        _run(
            "annotate",
            "adjudicate",
            str(records_path),
            "--decisions",
            str(decided),
            "--out",
            str(gold_path),
        )
        == 0
    )
    gold_records = {
        g["item_id"]: g for g in map(json.loads, gold_path.read_text(encoding="utf-8").splitlines())
    }
    assert len(gold_records) == 30
    for item_id, label in zip(ids, golds, strict=True):
        record = gold_records[item_id]
        assert record["label"] == label
        assert len(record["annotations"]) == 2  # every raw label kept
        assert record["gold_source"] == ("adjudicated" if item_id in expected else "unanimous")


BAD_EXPORTS = {
    "wrong_json": ("[{", "malformed JSON"),
    "not_a_list": ('{"data": {}}', "expected Label Studio's JSON export"),
    "unknown_label": (
        json.dumps([{"id": 1, "data": {"text": "x", "item_id": "i1"}, "annotations": [
            {"id": 5, "completed_by": 1, "result": [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["libel"]}}]}]}]),
        "field 'label' has value 'libel'",
    ),
    "no_annotator": (
        json.dumps([{"id": 1, "data": {"text": "x", "item_id": "i1"}, "annotations": [
            {"id": 5, "result": [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["none"]}}]}]}]),
        "task 'i1', annotation 5: no annotator id ('completed_by')",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_EXPORTS))
def test_bad_exports_give_one_line_errors(tmp_path, capsys, case):
    content, expected = BAD_EXPORTS[case]
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    assert _run("annotate", "import", str(path), "--out", str(tmp_path / "out.jsonl")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("hibobench: error:") and expected in err
    assert "Traceback" not in err and not (tmp_path / "out.jsonl").exists()


def test_items_annotated_once_only_are_warned_about_and_no_overlap_is_an_error(tmp_path, capsys):
    path = tmp_path / "records.jsonl"
    rows = [
        {"item_id": "i1", "annotator": "a", "label": "none"},
        {"item_id": "i1", "annotator": "b", "label": "none"},
        {"item_id": "i2", "annotator": "a", "label": "criticism", "target_type": "company"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert _run("agree", str(path), "--n-resamples", "50") == 0
    assert "1 of 2 items were annotated by only one annotator" in capsys.readouterr().err
    path.write_text(json.dumps(rows[2]) + "\n", encoding="utf-8")
    assert _run("agree", str(path)) == 2
    assert "no item was annotated by two or more annotators" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"item_id": "i1", "label": "none"}, "field 'annotator' is missing or empty"),
        (
            {"item_id": "i1", "annotator": "a", "label": "Illegal"},
            "field 'label' has value 'Illegal'",
        ),
        ({"annotator": "a", "label": "none"}, "field 'item_id' is missing"),
    ],
)
def test_bad_annotation_records_give_one_line_errors(tmp_path, capsys, row, expected):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert _run("agree", str(path)) == 2
    err = capsys.readouterr().err
    assert f"{path}:1:" in err and expected in err and "Traceback" not in err
