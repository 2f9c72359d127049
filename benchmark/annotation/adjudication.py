"""Adjudication: a queue of disagreements, and gold labels from adjudicated decisions.

Every raw annotation is kept in the gold file next to the decided values.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmark.annotation.agreement import category
from benchmark.annotation.records import AnnotationError
from benchmark.jsonl import iter_jsonl
from benchmark.schema import LabelSchema


def _by_item(records: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    items: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        items[record["item_id"]].append(record)
    return items


def disagreeing_fields(item_records: list[dict[str, Any]], fields: Sequence[str]) -> list[str]:
    return [
        name
        for name in fields
        if len({category(a.get(name)) for a in item_records if name in a}) > 1
    ]


def write_queue(records: Sequence[dict[str, Any]], fields: Sequence[str], path: Path) -> int:
    """Write one line per item whose annotators disagree on any of ``fields``; return the count."""
    lines = []
    for item_id, item_records in _by_item(records).items():
        differing = disagreeing_fields(item_records, fields)
        if not differing or len(item_records) < 2:
            continue
        lines.append(
            {
                "item_id": item_id,
                "text": item_records[0].get("text"),
                "disagreeing_fields": differing,
                "annotations": [
                    {"annotator": a["annotator"], **{f: a.get(f) for f in fields if f in a}}
                    for a in item_records
                ],
                "decision": None,
                "adjudicator": None,
                "note": "",
            }
        )
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
    )
    return len(lines)


def read_decisions(path: Path, schema: LabelSchema) -> dict[str, dict[str, Any]]:
    decisions: dict[str, dict[str, Any]] = {}
    for number, row in iter_jsonl(path, error=AnnotationError):
        where = f"{path}:{number}"
        item_id = row.get("item_id")
        if item_id is None:
            raise AnnotationError(f"{where}: field 'item_id' is missing.")
        decision = row.get("decision")
        if decision is None:
            raise AnnotationError(
                f"{where}: item {item_id!r} has no decision yet; fill 'decision' with the "
                'adjudicated values, e.g. {"label": "criticism"}.'
            )
        if not isinstance(decision, dict):
            raise AnnotationError(
                f"{where}: 'decision' must be an object of field values; got {decision!r}."
            )
        schema.validate_record({**decision, "text": row.get("text")}, where=f"{where} decision")
        decisions[str(item_id)] = {**row, "line": number}
    return decisions


def gold_records(
    records: Sequence[dict[str, Any]],
    decisions: dict[str, dict[str, Any]],
    fields: Sequence[str],
    *,
    queue: Path,
) -> list[dict[str, Any]]:
    """One gold record per item: unanimous values, or the adjudicated decision; raw labels kept."""
    out = []
    for item_id, item_records in _by_item(records).items():
        differing = disagreeing_fields(item_records, fields)
        decided = decisions.get(item_id)
        gold: dict[str, Any] = {}
        for name in fields:
            values = [a[name] for a in item_records if name in a]
            if decided is not None and name in decided["decision"]:
                gold[name] = decided["decision"][name]
            elif name in differing:
                raise AnnotationError(
                    f"{queue}: item {item_id!r} has a disagreement on '{name}' but no decision for it"
                    + (f" (line {decided['line']})" if decided else "")
                    + "; add it to the decision or regenerate the queue with --disagreements."
                )
            elif values:
                gold[name] = values[0]
        if decided is not None:
            source = "adjudicated"
        elif len(item_records) == 1:
            source = "single_annotator"
        else:
            source = "unanimous"
        out.append(
            {
                "item_id": item_id,
                "text": item_records[0].get("text"),
                **gold,
                "gold_source": source,
                "adjudicator": decided.get("adjudicator") if decided else None,
                "annotations": [
                    {k: v for k, v in a.items() if k not in ("item_id", "text")}
                    for a in item_records
                ],
            }
        )
    unknown = sorted(set(decisions) - {r["item_id"] for r in records})
    if unknown:
        raise AnnotationError(
            f"{queue}: decision for item {unknown[0]!r} (line {decisions[unknown[0]]['line']}) "
            "matches no annotated item; check that the queue belongs to these item_records."
        )
    return out
