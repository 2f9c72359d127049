"""Multi-annotator records: one JSON line per (item, annotator), never collapsed.

A record is ``{"item_id": ..., "annotator": ..., "text": ..., "label": ..., <schema fields>}``.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from benchmark.errors import HiboBenchError, HiboBenchWarning
from benchmark.jsonl import iter_jsonl
from benchmark.schema import LabelSchema

ID_KEYS = ("item_id", "annotator")


class AnnotationError(HiboBenchError, ValueError):
    """An annotation file that cannot be used."""


def check_ids(row: dict[str, Any], where: str) -> tuple[str, str]:
    """The record's ``(item_id, annotator)``, or an error naming what is missing."""
    for key in ID_KEYS:
        value = row.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise AnnotationError(
                f"{where}: field '{key}' is missing or empty; every record needs the item's id "
                "and the id of the annotator who made it (one record per annotator)."
            )
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise AnnotationError(f"{where}: field '{key}' is {value!r}; expected a string id.")
    return str(row["item_id"]), str(row["annotator"])


def read_annotations(path: str | Path, schema: LabelSchema) -> list[dict[str, Any]]:
    """Read and validate a HiboBench annotation JSONL file."""
    path = Path(path)
    records: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in iter_jsonl(path, error=AnnotationError):
        where = f"{path}:{number}"
        key = check_ids(row, where)
        if key in seen:
            raise AnnotationError(
                f"{where}: annotator {key[1]!r} already labelled item {key[0]!r} on line "
                f"{seen[key]}; keep one record per (item, annotator)."
            )
        seen[key] = number
        schema.validate_record(row, where=where)
        records.append({**row, "item_id": key[0], "annotator": key[1]})
    if not records:
        raise AnnotationError(f"{path}: the file holds no annotations.")
    return records


def units(records: Iterable[dict[str, Any]], field: str) -> dict[str, dict[str, Any]]:
    """``{item_id: {annotator: value}}`` for one field (records without the field are skipped)."""
    out: dict[str, dict[str, Any]] = {}
    for record in records:
        if field in record and record[field] is not None:
            out.setdefault(record["item_id"], {})[record["annotator"]] = record[field]
    return out


def warn_single_annotations(records: Sequence[dict[str, Any]], source: str) -> int:
    """Warn about items with only one annotator (they carry no agreement information)."""
    counts = Counter(record["item_id"] for record in records)
    single = sorted(item for item, n in counts.items() if n == 1)
    if single:
        warnings.warn(
            f"{source}: {len(single)} of {len(counts)} items were annotated by only one annotator "
            f"(first: {single[0]!r}); they are left out of agreement.",
            HiboBenchWarning,
            stacklevel=2,
        )
    return len(single)
