"""Reading a submitted predictions file (JSON Lines) strictly.

Each line is ``{"id": ..., "label": ..., "scores": {class_id: number, ...}}``; ``scores``
is optional but, when given, must be given on every line for every class. Any problem
raises :class:`PredictionsError` with one line naming the file, the line, what was
expected and how to fix it; nothing is scored from a partly valid file.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmark.errors import PredictionsError
from benchmark.jsonl import iter_jsonl
from benchmark.schema import LabelSchema


@dataclass(frozen=True)
class Submission:
    """Predictions aligned with the dataset's item order."""

    path: Path
    sha256: str
    labels: np.ndarray
    scores: np.ndarray | None


def read_submission(
    path: str | Path, *, ids: Sequence[str], schema: LabelSchema, dataset: str
) -> Submission:
    """Parse and validate ``path`` against the item ids of ``dataset`` (e.g. ``"hibo_core/test"``)."""
    path = Path(path)
    position = {item_id: i for i, item_id in enumerate(ids)}
    labels = np.full(len(ids), -1, dtype=np.int64)
    scores: np.ndarray | None = None
    first_line: dict[int, int] = {}
    has_scores: bool | None = None
    for number, row in iter_jsonl(path, error=PredictionsError):
        where = f"{path}:{number}"
        index = _item_index(row, position, where, dataset)
        if index in first_line:
            raise PredictionsError(
                f"{where}: id {ids[index]!r} already appeared on line {first_line[index]}; "
                "keep exactly one prediction per id."
            )
        first_line[index] = number
        labels[index] = _label_index(row, schema, where)
        row_has_scores = row.get("scores") is not None
        if has_scores is None:
            has_scores = row_has_scores
            if has_scores:
                scores = np.zeros((len(ids), schema.num_classes))
        if row_has_scores != has_scores:
            raise PredictionsError(
                f"{where}: 'scores' is {'given' if row_has_scores else 'missing'} here but "
                f"{'missing' if row_has_scores else 'given'} on earlier lines; give it on every line or on none."
            )
        if scores is not None:
            scores[index] = _score_row(row["scores"], schema, where)
    if not first_line:
        raise PredictionsError(
            f"{path}: the file holds no predictions; write one JSON line per item of {dataset}."
        )
    missing = [ids[int(i)] for i in np.flatnonzero(labels < 0)]
    if missing:
        raise PredictionsError(
            f"{path}: {len(missing)} of {len(ids)} items of {dataset} have no prediction "
            f"(first missing id: {missing[0]!r}); add one line per missing id."
        )
    return Submission(path=path, sha256=sha256_file(path), labels=labels, scores=scores)


def _item_index(row: dict[str, Any], position: dict[str, int], where: str, dataset: str) -> int:
    if "id" not in row:
        raise PredictionsError(f"{where}: field 'id' is missing; every line needs the item's id.")
    raw = row["id"]
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise PredictionsError(
            f"{where}: field 'id' is {raw!r}; expected a string (or integer) id."
        )
    index = position.get(str(raw))
    if index is None:
        raise PredictionsError(
            f"{where}: id {raw!r} is not an item of {dataset}; check that you predicted the "
            "right dataset and split."
        )
    return index


def _label_index(row: dict[str, Any], schema: LabelSchema, where: str) -> int:
    if "label" not in row:
        raise PredictionsError(
            f"{where}: field 'label' is missing; expected one of {list(schema.class_ids)}."
        )
    label = row["label"]
    if not isinstance(label, str) or label not in schema.class_ids:
        raise PredictionsError(
            f"{where}: field 'label' is {label!r}; expected one of {list(schema.class_ids)} "
            f"(schema {schema.version})."
        )
    return schema.str2int(label)


def _score_row(raw: Any, schema: LabelSchema, where: str) -> list[float]:
    expected = list(schema.class_ids)
    if not isinstance(raw, dict) or set(raw) != set(expected):
        found = sorted(raw) if isinstance(raw, dict) else type(raw).__name__
        raise PredictionsError(
            f"{where}: field 'scores' must map every class {expected} to a number; found {found}."
        )
    values = []
    for class_id in expected:
        value = raw[class_id]
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            raise PredictionsError(
                f"{where}: scores[{class_id!r}] is {value!r}; expected a finite number."
            )
        values.append(float(value))
    return values


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
