"""The columnar reader: pyarrow reads the whole file at once.

It gives up (:class:`~benchmark.submission.common.Fallback`) on anything it cannot read the
way the line-by-line reader would, which then reads the file again to name the line at fault.
"""

from __future__ import annotations

import codecs
import io
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from benchmark.submission.common import BLANK, JSON_FIELDS, Context, Fallback, Table
from benchmark.submission.lines import header_columns, header_row

_BLANK_START = re.compile(b"\n(?=[ \t\r\n])")
_BLANK_BYTES = (b"\n", b" ", b"\t", b"\r")
_BLOCK_SIZE = 16 << 20  # pyarrow's 1 MiB default is twice as slow on a million lines


def read_columnar(data: bytes, text: str, encoding: str, fmt: str, ctx: Context) -> Table:
    if encoding in ("utf-8", "utf-8-sig"):
        utf8 = data.removeprefix(codecs.BOM_UTF8)
    else:
        utf8 = text.encode("utf-8")
    try:
        if fmt == "jsonl":
            return _columnar_jsonl(utf8, ctx)
        return _columnar_delimited(utf8, text, "\t" if fmt == "tsv" else ",", ctx)
    except pa.ArrowException:
        raise Fallback from None


def _columnar_jsonl(utf8: bytes, ctx: Context) -> Table:
    import pyarrow.json as pa_json

    table = pa_json.read_json(
        io.BytesIO(utf8), read_options=pa_json.ReadOptions(block_size=_BLOCK_SIZE)
    )
    # pyarrow also reads two objects written on one line; the line reader does not
    if table.num_rows != _content_lines(utf8):
        raise Fallback
    names = table.column_names
    if "id" not in names or "label" not in names:
        raise Fallback
    return Table(
        ids=_string_column(table.column("id"), allow_int=True),
        labels=_string_column(table.column("label"), allow_int=False),
        scores=_struct_scores(table.column("scores"), ctx) if "scores" in names else None,
        ignored=tuple(sorted(set(names) - set(JSON_FIELDS))),
        lines=None,
    )


def _content_lines(utf8: bytes) -> int:
    """Lines holding anything but JSON whitespace."""
    lines = utf8.count(b"\n") + (bool(utf8) and not utf8.endswith(b"\n"))
    # only a line that starts with whitespace can be blank; look at those one by one
    starts = [0] if utf8[:1] in _BLANK_BYTES else []
    starts += [m.start() + 1 for m in _BLANK_START.finditer(utf8)]
    for start in starts:
        end = utf8.find(b"\n", start)
        lines -= not utf8[start : None if end < 0 else end].strip(BLANK.encode())
    return lines


def _string_column(column: pa.ChunkedArray, *, allow_int: bool) -> pa.Array:
    array = column.combine_chunks()
    if array.null_count:
        raise Fallback
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array.cast(pa.string())
    if allow_int and pa.types.is_int64(array.type):
        return array.cast(pa.string())
    raise Fallback


def _struct_scores(column: pa.ChunkedArray, ctx: Context) -> np.ndarray | None:
    array = column.combine_chunks()
    if pa.types.is_null(array.type):
        return None
    if not pa.types.is_struct(array.type) or array.null_count:
        raise Fallback
    names = [array.type.field(i).name for i in range(array.type.num_fields)]
    if sorted(names) != sorted(ctx.schema.class_ids):
        raise Fallback
    return np.column_stack(
        [_numbers(pc.struct_field(array, [names.index(c)])) for c in ctx.schema.class_ids]
    )


def _numbers(array: pa.Array) -> np.ndarray:
    if array.null_count or not (pa.types.is_int64(array.type) or pa.types.is_float64(array.type)):
        raise Fallback
    return np.asarray(array.cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


def _columnar_delimited(utf8: bytes, text: str, delimiter: str, ctx: Context) -> Table:
    import pyarrow.csv as pa_csv

    if b'"' in utf8:  # pyarrow reads broken quoting that the csv module rejects
        raise Fallback
    header = header_row(text, delimiter)
    columns = header_columns(header, ctx)
    table = pa_csv.read_csv(
        io.BytesIO(utf8),
        parse_options=pa_csv.ParseOptions(delimiter=delimiter),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if table.column_names != header or table.num_rows != _content_lines(utf8) - 1:
        raise Fallback
    return Table(
        ids=table.column(columns.id).combine_chunks(),
        labels=table.column(columns.label).combine_chunks(),
        scores=_cell_scores([table.column(name).combine_chunks() for name in columns.scores]),
        ignored=columns.ignored,
        lines=None,
    )


def _cell_scores(columns: list[pa.Array]) -> np.ndarray | None:
    if not columns:
        return None
    empty = [pc.all(pc.equal(col, "")).as_py() for col in columns]
    if all(empty):
        return None
    if any(pc.any(pc.equal(col, "")).as_py() for col in columns):
        raise Fallback
    return np.column_stack([_numbers(col.cast(pa.float64())) for col in columns])
