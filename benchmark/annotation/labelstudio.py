"""Label Studio: a labeling config generated from the schema, task export with optional
pre-annotations, and import of a Label Studio JSON export as one record per annotator."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from benchmark.annotation.records import AnnotationError
from benchmark.jsonl import decode_utf8
from benchmark.schema import FieldDef, LabelSchema

TEXT_TAG = "text"
SPAN_COLOURS = (
    "#f4a261",
    "#2a9d8f",
    "#e76f51",
    "#e63946",
    "#9b5de5",
    "#457b9d",
    "#8ab17d",
    "#adb5bd",
)


def _choices(
    parent: ET.Element,
    name: str,
    field_values: list[tuple[str, str]],
    *,
    single: bool,
    required: bool,
) -> None:
    choices = ET.SubElement(
        parent,
        "Choices",
        name=name,
        toName=TEXT_TAG,
        choice="single" if single else "multiple",
        showInline="true",
        required="true" if required else "false",
    )
    for value, hint in field_values:
        ET.SubElement(choices, "Choice", value=value, hint=hint)


def _field_values(field: FieldDef) -> list[tuple[str, str]]:
    if field.kind == "boolean":
        return [("true", "はい / yes"), ("false", "いいえ / no")]
    return [(v.id, f"{v.name_ja} / {v.name_en}") for v in field.values]


def labeling_config(schema: LabelSchema) -> str:
    """The Label Studio XML config for the annotated fields of ``schema``."""
    view = ET.Element("View")
    ET.SubElement(view, "Header", value=f"HiboBench ラベルスキーマ / label schema {schema.version}")
    ET.SubElement(view, "Text", name=TEXT_TAG, value="$text", granularity="symbol")
    spans = schema.fields.get("rationale_spans")
    if spans is not None:
        ET.SubElement(view, "Header", value="根拠箇所 / Rationale spans")
        labels = ET.SubElement(view, "Labels", name="rationale_spans", toName=TEXT_TAG)
        for colour, value in zip(SPAN_COLOURS * 2, spans.values, strict=False):
            ET.SubElement(
                labels,
                "Label",
                value=value.id,
                hint=f"{value.name_ja} / {value.name_en}",
                background=colour,
            )
    ET.SubElement(view, "Header", value="クラス / Class")
    _choices(
        view,
        "label",
        [(c.id, f"{c.name_ja} / {c.name_en}: {c.definition_en}") for c in schema.classes],
        single=True,
        required=True,
    )
    for name, field in schema.fields.items():
        if not field.annotated or field.kind in ("spans",):
            continue
        parent = view
        if field.applies_to:  # subtypes: shown only when their class is chosen
            parent = ET.SubElement(
                view,
                "View",
                visibleWhen="choice-selected",
                whenTagName="label",
                whenChoiceValue=",".join(field.applies_to),
            )
        title = name if field.level == "post" else f"{name}（スレッド単位 / thread level）"
        ET.SubElement(parent, "Header", value=title)
        if field.kind == "path":
            values = [(s.id, f"{s.name_ja} / {s.name_en}") for s in schema.decision_tree]
            _choices(parent, name, values, single=False, required=False)
        else:
            _choices(
                parent,
                name,
                _field_values(field),
                single=field.kind in ("single", "boolean"),
                required=bool(field.applies_to) or name in ("target_type", "identifiable"),
            )
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def export_tasks(
    rows: list[dict[str, Any]],
    *,
    dataset: str,
    split: str,
    schema: LabelSchema,
    predictions: dict[str, tuple[str, float | None]] | None = None,
    model_version: str = "hibobench",
) -> list[dict[str, Any]]:
    """Import-ready Label Studio tasks; ``predictions`` (id → (label, score)) become pre-annotations."""
    tasks = []
    for row in rows:
        task: dict[str, Any] = {
            "data": {"text": row["text"], "item_id": row["id"], "dataset": dataset, "split": split}
        }
        if predictions is not None:
            label, score = predictions[row["id"]]
            prediction: dict[str, Any] = {
                "model_version": model_version,
                "result": [
                    {
                        "from_name": "label",
                        "to_name": TEXT_TAG,
                        "type": "choices",
                        "value": {"choices": [label]},
                    }
                ],
            }
            if score is not None:
                prediction["score"] = score
            task["predictions"] = [prediction]
        tasks.append(task)
    return tasks


def _annotator(annotation: dict[str, Any]) -> str | None:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    if who is None or (isinstance(who, str) and not who.strip()):
        return None
    return str(who)


def parse_result(result: list[dict[str, Any]], schema: LabelSchema, where: str) -> dict[str, Any]:
    """Field values from one annotation's ``result`` list."""
    values: dict[str, Any] = {"illegal_subtypes": [], "harmful_subtypes": []}
    spans: list[dict[str, Any]] = []
    steps = [s.id for s in schema.decision_tree]
    for region in result:
        name = region.get("from_name")
        value = region.get("value", {})
        if name == "rationale_spans":
            for label in value.get("labels", []):
                spans.append(
                    {
                        "start": value["start"],
                        "end": value["end"],
                        "label": label,
                        "text": value["text"],
                    }
                )
            continue
        if name != "label" and name not in schema.fields:
            raise AnnotationError(
                f"{where}: result for unknown control {name!r}; expected one of "
                f"{['label', *schema.fields]} (was the project set up with `hibobench annotate labelstudio-config`?)."
            )
        choices = value.get("choices")
        if not isinstance(choices, list):
            raise AnnotationError(
                f"{where}: result for {name!r} has no 'choices' list; got {value!r}."
            )
        kind = "single" if name == "label" else schema.fields[name].kind
        if kind == "boolean":
            values[name] = choices[0] == "true"
        elif kind == "multi":
            values[name] = list(choices)
        elif kind == "path":
            values[name] = sorted(
                choices, key=lambda s: steps.index(s) if s in steps else len(steps)
            )
        else:
            values[name] = choices[0]
    values["rationale_spans"] = sorted(spans, key=lambda s: (s["start"], s["end"]))
    return values


def read_export(path: Path, schema: LabelSchema) -> list[dict[str, Any]]:
    """Records (one per task and annotator) from a Label Studio JSON export."""
    try:
        tasks = json.loads(decode_utf8(path, path.read_bytes(), error=AnnotationError))
    except FileNotFoundError:
        raise AnnotationError(f"{path}: file not found; check the path.") from None
    except json.JSONDecodeError as err:
        raise AnnotationError(
            f"{path}:{err.lineno}: malformed JSON ({err.msg}); export the project from Label Studio as 'JSON'."
        ) from None
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise AnnotationError(
            f"{path}: expected Label Studio's JSON export (a list of tasks with 'annotations'); "
            f"got {type(tasks).__name__}."
        )
    records = []
    for position, task in enumerate(tasks):
        data = task.get("data") or {}
        item_id = data.get("item_id", task.get("id"))
        if item_id is None:
            raise AnnotationError(f"{path}: task #{position} has neither data.item_id nor an id.")
        for annotation in task.get("annotations", []):
            where = f"{path}: task {item_id!r}, annotation {annotation.get('id', '?')}"
            if annotation.get("was_cancelled"):
                continue
            annotator = _annotator(annotation)
            if annotator is None:
                raise AnnotationError(
                    f"{where}: no annotator id ('completed_by'); export with annotator details "
                    "so each label stays attributed to its annotator."
                )
            record = {
                "item_id": str(item_id),
                "annotator": annotator,
                "text": data.get("text"),
                **parse_result(annotation.get("result", []), schema, where),
            }
            if "label" not in record:
                raise AnnotationError(f"{where}: the annotation has no class ('label' control).")
            schema.validate_record(record, where=where)
            records.append(record)
    if not records:
        raise AnnotationError(f"{path}: the export holds no completed annotations.")
    return records
