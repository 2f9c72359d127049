"""The line-by-line reader: slow, but it names the line of the first problem.

The header of a CSV/TSV file is read here for both readers.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from benchmark.errors import PredictionsError
from benchmark.jsonl import json_object
from benchmark.submission.common import BLANK, JSON_FIELDS, Context, Table

SCORE_PREFIX = "score_"


def read_line_by_line(text: str, fmt: str, ctx: Context) -> Table:
    text = text.lstrip("\ufeff")
    if fmt == "jsonl":
        return _rows_table(_jsonl_rows(text, ctx), (), ctx)
    delimiter = "\t" if fmt == "tsv" else ","
    line = [0]  # the csv module counts a lone "\r" as a line; editors and pyarrow do not
    reader = csv.reader(_counted_lines(text, line), delimiter=delimiter, strict=True)
    header = _guard_csv(line, ctx, lambda: next(row for row in reader if row))
    columns = header_columns(header, ctx)
    rows = _delimited_rows(reader, line, header, columns, ctx)
    return _rows_table(rows, columns.ignored, ctx)


def _counted_lines(text: str, counter: list[int]) -> Iterator[str]:
    for counter[0], line in enumerate(text.split("\n"), start=1):
        yield line + "\n"


Row = tuple[int, str, str, list[float] | None, tuple[str, ...]]  # line, id, label, scores, extra


def _rows_table(rows: Iterator[Row], ignored: tuple[str, ...], ctx: Context) -> Table:
    lines: list[int] = []
    ids: list[str] = []
    labels: list[str] = []
    score_rows: list[list[float]] = []
    extra: set[str] = set(ignored)
    has_scores: bool | None = None
    for line, item_id, label, scores, row_extra in rows:
        if has_scores is None:
            has_scores = scores is not None
        if (scores is not None) != has_scores:
            given, missing = ("given", "missing") if scores is not None else ("missing", "given")
            raise PredictionsError(
                f"{ctx.path}:{line}: scores are {given} here but {missing} on line {lines[0]}; "
                "give scores on every row or on none."
            )
        lines.append(line)
        ids.append(item_id)
        labels.append(label)
        if scores is not None:
            score_rows.append(scores)
        extra.update(row_extra)
    k = ctx.schema.num_classes
    return Table(
        ids=pa.array(ids, pa.string()),
        labels=pa.array(labels, pa.string()),
        scores=np.array(score_rows, dtype=np.float64).reshape(-1, k) if has_scores else None,
        ignored=tuple(sorted(extra)),
        lines=np.asarray(lines, dtype=np.int64),
    )


def _jsonl_rows(text: str, ctx: Context) -> Iterator[Row]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip(BLANK):
            continue
        where = f"{ctx.path}:{number}"
        obj = json_object(line, where, error=PredictionsError)
        item_id = _json_id(obj, where)
        label = obj.get("label")
        if not isinstance(label, str):
            found = "missing" if "label" not in obj else f"{label!r}"
            raise PredictionsError(
                f"{where}: field 'label' is {found}; expected a class id "
                f"{list(ctx.schema.class_ids)} or its Japanese name, as a string."
            )
        raw_scores = obj.get("scores")
        scores = None if raw_scores is None else _json_scores(raw_scores, where, ctx)
        extra = tuple(key for key in obj if key not in JSON_FIELDS)
        yield number, item_id, label, scores, extra


def _json_id(obj: dict[str, Any], where: str) -> str:
    if "id" not in obj:
        raise PredictionsError(f"{where}: field 'id' is missing; every line needs the item's id.")
    raw = obj["id"]
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise PredictionsError(
            f"{where}: field 'id' is {raw!r}; expected the item's id as a string (or integer)."
        )
    return str(raw)


def _json_scores(raw: Any, where: str, ctx: Context) -> list[float]:
    expected = list(ctx.schema.class_ids)
    if not isinstance(raw, dict) or sorted(raw) != sorted(expected):
        found = sorted(raw) if isinstance(raw, dict) else type(raw).__name__
        raise PredictionsError(
            f"{where}: field 'scores' must map every class {expected} to a number; found {found}."
        )
    values = []
    for class_id in expected:
        value = raw[class_id]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise PredictionsError(
                f"{where}: scores[{class_id!r}] is {value!r}; expected a number."
            )
        values.append(_as_float(value))
    return values


def _as_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float
        return float("inf")


@dataclass(frozen=True)
class _Columns:
    id: str
    label: str
    scores: tuple[str, ...]  # in schema order; empty when the file has no score columns
    ignored: tuple[str, ...]


def header_row(text: str, delimiter: str) -> list[str]:
    """The first non-blank line split into fields (a header spanning lines differs from
    what pyarrow reads, which sends the file to the line-by-line reader)."""
    lines = (line.rstrip("\r") for line in text.lstrip("\ufeff").split("\n"))
    first = next((line for line in lines if line), "")
    try:
        return next(csv.reader([first], delimiter=delimiter), [])
    except csv.Error:
        return [first]


def header_columns(header: list[str], ctx: Context) -> _Columns:
    where = f"{ctx.path}:1"
    wanted = ["id", "label", *(SCORE_PREFIX + c for c in ctx.schema.class_ids)]
    found: dict[str, str] = {}
    for name in header:
        key = unicodedata.normalize("NFKC", name).strip().casefold()
        if key in wanted and key in found:
            raise PredictionsError(
                f"{where}: column {key!r} appears twice in the header {header}; keep one."
            )
        if key in wanted:
            found[key] = name
    for key in ("id", "label"):
        if key not in found:
            raise PredictionsError(
                f"{where}: the header {header} has no column {key!r}; the first row must name "
                f"the columns id, label and optionally {wanted[2:]}."
            )
    score_keys = wanted[2:]
    present = [key for key in score_keys if key in found]
    if present and len(present) != len(score_keys):
        missing = [key for key in score_keys if key not in found]
        raise PredictionsError(
            f"{where}: score columns {missing} are missing from the header; give a score "
            "column for every class or none."
        )
    return _Columns(
        id=found["id"],
        label=found["label"],
        scores=tuple(found[key] for key in present),
        ignored=tuple(name for name in header if name not in found.values()),
    )


def _guard_csv(line: list[int], ctx: Context, step: Callable[[], Any]) -> Any:
    try:
        return step()
    except csv.Error as err:
        raise PredictionsError(
            f"{ctx.path}:{line[0]}: malformed CSV/TSV ({err}); check the quoting."
        ) from None


def _delimited_rows(
    reader: Any, line: list[int], header: list[str], columns: _Columns, ctx: Context
) -> Iterator[Row]:
    id_at, label_at = header.index(columns.id), header.index(columns.label)
    score_at = [header.index(column) for column in columns.scores]
    while (row := _guard_csv(line, ctx, lambda: next(reader, None))) is not None:
        if len(row) <= 1 and not "".join(row).strip(BLANK):
            continue
        where = f"{ctx.path}:{line[0]}"
        if len(row) != len(header):
            raise PredictionsError(
                f"{where}: the row has {len(row)} fields but the header has {len(header)} "
                f"({header}); quote fields that contain the delimiter or line breaks."
            )
        cells = [row[i] for i in score_at]
        scores = _cell_numbers(cells, columns.scores, where) if any(cells) else None
        yield line[0], row[id_at], row[label_at], scores, ()


def _cell_numbers(cells: list[str], names: tuple[str, ...], where: str) -> list[float]:
    values = []
    for name, cell in zip(names, cells, strict=True):
        try:
            values.append(float(cell))
        except ValueError:
            raise PredictionsError(
                f"{where}: column {name!r} is {cell!r}; expected a number (give every score "
                "column a value on every row, or leave the score columns out)."
            ) from None
    return values
