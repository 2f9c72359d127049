"""Reading a submitted predictions file strictly: JSON Lines, CSV or TSV.

Formats, told apart by the file's suffix:

``.jsonl`` / ``.json``
    one JSON object per line, ``{"id": ..., "label": ..., "scores": {class_id: number, ...}}``.
``.csv`` / ``.tsv``
    a header row naming the columns ``id``, ``label`` and, optionally, one score column per
    class named ``score_<class id>`` (``score_illegal``, ``score_harmful``, ``score_criticism``,
    ``score_none``). Header names are matched ignoring case, width and surrounding spaces.
``.txt``
    JSON Lines when the first non-blank character is ``{``, else TSV when the header line has a
    tab, else CSV.

Encodings: UTF-8 with or without a BOM, or CP932 (Shift_JIS); detected (UTF-8 first, then
CP932) unless ``encoding`` is given. CRLF line endings are fine.

Labels: the class ids in any letter case, each class's Japanese name in the schema, and the
short aliases 違法, 有害, 批判, 正当な批判 and 該当なし; labels are NFKC-normalised and stripped
first, so full-width ``ｉｌｌｅｇａｌ`` works. Ids are compared as strings (``1`` matches
``"1"``); an id that matches no item exactly is looked up again NFKC-normalised and stripped.

Scores are optional but, when given, are given on every row for every class, and every row
is a probability distribution: finite, non-negative and summing to one within 1e-6. With
``renormalise_scores`` a row of non-negative scores with a positive sum is divided by its sum.

Other fields or columns are ignored and named in :attr:`Submission.notices`. Any problem
raises :class:`PredictionsError` with one line naming the file, the line, what was expected,
what was found and how to fix it; nothing is scored from a partly valid file.

A file is first read by a columnar reader (pyarrow) and checked with vectorised code. When
that finds a problem, or cannot read the file, the file is read again line by line only to
name the offending line; both readers feed the same checks, so the result does not depend on
the path taken.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from benchmark.errors import ConfigError, PredictionsError
from benchmark.registry import get_spec
from benchmark.schema import LabelSchema

FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "tsv", ".txt": "sniff"}
SUM_TOLERANCE = 1e-6
SCORE_PREFIX = "score_"
# Accepted on top of the aliases of user files (benchmark/specs/local.yaml); asked for in issue 6.
EXTRA_ALIASES = {"正当な批判": "criticism"}
_JSON_FIELDS = ("id", "label", "scores")
_BLANK = " \t\r"  # JSON whitespace apart from the newline itself
_NON_BLANK = re.compile("[^ \t\r\n\ufeff]")
_BLANK_START = re.compile(b"\n(?=[ \t\r\n])")
_BLANK_BYTES = (b"\n", b" ", b"\t", b"\r")
_BLOCK_SIZE = 16 << 20  # pyarrow's 1 MiB default is twice as slow on a million lines


@dataclass(frozen=True)
class Submission:
    """Predictions aligned with the dataset's item order."""

    path: Path
    sha256: str
    labels: np.ndarray
    scores: np.ndarray | None
    format: str = "jsonl"
    encoding: str = "utf-8"
    notices: tuple[str, ...] = ()

    def provenance(self) -> dict[str, str]:
        return {
            "path": str(self.path),
            "sha256": self.sha256,
            "format": self.format,
            "encoding": self.encoding,
        }


@dataclass(frozen=True)
class _Context:
    path: Path
    ids: Sequence[str]
    dataset: str
    schema: LabelSchema
    renormalise: bool
    detect_encoding: bool = True


@dataclass(frozen=True)
class _Table:
    """Parsed, not yet validated predictions, one entry per row in file order."""

    ids: pa.Array  # strings
    labels: pa.Array  # strings
    scores: np.ndarray | None  # (rows, classes) in schema order
    ignored: tuple[str, ...]  # fields or columns that are not read
    lines: np.ndarray | None  # line number of each row; None from the columnar reader


class _Fallback(Exception):
    """The columnar reader cannot read the file or found a problem it cannot locate."""


def read_submission(
    path: str | Path,
    *,
    ids: Sequence[str],
    schema: LabelSchema,
    dataset: str,
    encoding: str | None = None,
    renormalise_scores: bool = False,
) -> Submission:
    """Parse and validate ``path`` against the item ids of ``dataset`` (e.g. ``"hibo_core/test"``).

    ``encoding`` None detects UTF-8 (BOM allowed) or CP932; ``renormalise_scores`` divides each
    score row by its sum instead of rejecting rows that do not sum to one.
    """
    return _read(
        Path(path),
        _Context(Path(path), ids, dataset, schema, renormalise_scores, encoding is None),
        encoding,
        columnar=True,
    )


def _read(path: Path, ctx: _Context, encoding: str | None, *, columnar: bool) -> Submission:
    data = _read_bytes(path)
    if not data:
        raise PredictionsError(
            f"{path}: the file is empty (0 bytes); write one prediction per item of {ctx.dataset}."
        )
    text, used = _decode(path, data, encoding)
    fmt = _format(path, text)
    if _NON_BLANK.search(text) is None:
        raise PredictionsError(
            f"{path}: the file holds no predictions, only blank lines; write one row per item of {ctx.dataset}."
        )
    if columnar:
        try:
            labels, scores, notices = _validate(_columnar(data, text, used, fmt, ctx), ctx)
            return _submission(ctx, data, labels, scores, fmt, used, notices)
        except (_Fallback, PredictionsError):
            pass  # every error comes from the line reader, which names the line at fault
    labels, scores, notices = _validate(_line_by_line(text, fmt, ctx), ctx)
    return _submission(ctx, data, labels, scores, fmt, used, notices)


def _submission(
    ctx: _Context,
    data: bytes,
    labels: np.ndarray,
    scores: np.ndarray | None,
    fmt: str,
    encoding: str,
    notices: list[str],
) -> Submission:
    if encoding == "cp932" and ctx.detect_encoding:
        notices.insert(0, f"{ctx.path}: not UTF-8, so read as CP932 (Shift_JIS).")
    return Submission(
        path=ctx.path,
        sha256=hashlib.sha256(data).hexdigest(),
        labels=labels,
        scores=scores,
        format=fmt,
        encoding=encoding,
        notices=tuple(notices),
    )


# -- bytes, encoding and format ----------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PredictionsError(f"{path}: file not found; check the path.") from None
    except IsADirectoryError:
        raise PredictionsError(
            f"{path}: is a directory; give the path of a .jsonl, .csv or .tsv file."
        ) from None


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    """The text and the encoding it was read with (``utf-8``, ``utf-8-sig`` or another codec)."""
    if encoding is not None:
        return _decode_as(path, data, _codec(encoding))
    try:
        return _decode_as(path, data, "utf-8")
    except PredictionsError as utf8_error:
        try:
            return _decode_as(path, data, "cp932")
        except PredictionsError as cp932_error:
            # the encoding that read further is more likely the intended one; name its line
            later = max(utf8_error, cp932_error, key=lambda e: _error_line(str(e), path))
            message = re.sub(r"the file (is not UTF-8|cannot be read as cp932)",
                             "the file is neither UTF-8 nor CP932", str(later), count=1)  # fmt: skip
            raise PredictionsError(message) from None


def _error_line(message: str, path: Path) -> int:
    return int(message[len(str(path)) + 1 :].split(":", 1)[0])


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ConfigError(
            f"task.encoding (--encoding) is {encoding!r}, which Python does not know; use "
            "utf-8 or cp932, or leave it unset to detect the encoding."
        ) from None


def _decode_as(path: Path, data: bytes, codec: str) -> tuple[str, str]:
    if codec in ("utf-8", "utf-8-sig"):
        codec = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        problem = (
            "the file is not UTF-8"
            if codec.startswith("utf-8")
            else f"the file cannot be read as {codec}"
        )
        raise PredictionsError(
            f"{path}:{line}: {problem} (byte 0x{data[err.start]:02x} cannot be decoded); save "
            f"it as UTF-8, e.g. 'iconv -f CP932 -t UTF-8 {path.name} > fixed{path.suffix}', "
            "or name its encoding with --encoding (task.encoding)."
        ) from None


def _format(path: Path, text: str) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise PredictionsError(
            f"{path}: cannot tell the format from the suffix {path.suffix!r}; save the "
            f"predictions as JSON Lines, CSV or TSV with one of the suffixes {sorted(FORMATS)}."
        )
    if fmt != "sniff":
        return fmt
    found = _NON_BLANK.search(text)
    start = 0 if found is None else found.start()
    if text.startswith("{", start):
        return "jsonl"
    return "tsv" if "\t" in text[start : text.find("\n", start)] else "csv"


# -- the columnar reader ------------------------------------------------------------------------


def _columnar(data: bytes, text: str, encoding: str, fmt: str, ctx: _Context) -> _Table:
    if encoding in ("utf-8", "utf-8-sig"):
        utf8 = data.removeprefix(codecs.BOM_UTF8)
    else:
        utf8 = text.encode("utf-8")
    try:
        if fmt == "jsonl":
            return _columnar_jsonl(utf8, ctx)
        return _columnar_delimited(utf8, text, "\t" if fmt == "tsv" else ",", ctx)
    except pa.ArrowException:
        raise _Fallback from None


def _columnar_jsonl(utf8: bytes, ctx: _Context) -> _Table:
    import pyarrow.json as pa_json

    table = pa_json.read_json(
        io.BytesIO(utf8), read_options=pa_json.ReadOptions(block_size=_BLOCK_SIZE)
    )
    # pyarrow also reads two objects written on one line; the line reader does not
    if table.num_rows != _content_lines(utf8):
        raise _Fallback
    names = table.column_names
    if "id" not in names or "label" not in names:
        raise _Fallback
    return _Table(
        ids=_string_column(table.column("id"), allow_int=True),
        labels=_string_column(table.column("label"), allow_int=False),
        scores=_struct_scores(table.column("scores"), ctx) if "scores" in names else None,
        ignored=tuple(sorted(set(names) - set(_JSON_FIELDS))),
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
        lines -= not utf8[start : None if end < 0 else end].strip(_BLANK.encode())
    return lines


def _string_column(column: pa.ChunkedArray, *, allow_int: bool) -> pa.Array:
    array = column.combine_chunks()
    if array.null_count:
        raise _Fallback
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array.cast(pa.string())
    if allow_int and pa.types.is_int64(array.type):
        return array.cast(pa.string())
    raise _Fallback


def _struct_scores(column: pa.ChunkedArray, ctx: _Context) -> np.ndarray | None:
    array = column.combine_chunks()
    if pa.types.is_null(array.type):
        return None
    if not pa.types.is_struct(array.type) or array.null_count:
        raise _Fallback
    names = [array.type.field(i).name for i in range(array.type.num_fields)]
    if sorted(names) != sorted(ctx.schema.class_ids):
        raise _Fallback
    return np.column_stack(
        [_numbers(pc.struct_field(array, [names.index(c)])) for c in ctx.schema.class_ids]
    )


def _numbers(array: pa.Array) -> np.ndarray:
    if array.null_count or not (pa.types.is_int64(array.type) or pa.types.is_float64(array.type)):
        raise _Fallback
    return np.asarray(array.cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


def _columnar_delimited(utf8: bytes, text: str, delimiter: str, ctx: _Context) -> _Table:
    import pyarrow.csv as pa_csv

    if b'"' in utf8:  # pyarrow reads broken quoting that the csv module rejects
        raise _Fallback
    header = _header_row(text, delimiter)
    columns = _header_columns(header, ctx)
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
        raise _Fallback
    return _Table(
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
        raise _Fallback
    return np.column_stack([_numbers(col.cast(pa.float64())) for col in columns])


# -- the line-by-line reader --------------------------------------------------------------------


def _line_by_line(text: str, fmt: str, ctx: _Context) -> _Table:
    text = text.lstrip("\ufeff")
    if fmt == "jsonl":
        return _rows_table(_jsonl_rows(text, ctx), (), ctx)
    delimiter = "\t" if fmt == "tsv" else ","
    line = [0]  # the csv module counts a lone "\r" as a line; editors and pyarrow do not
    reader = csv.reader(_counted_lines(text, line), delimiter=delimiter, strict=True)
    header = _guard_csv(line, ctx, lambda: next(row for row in reader if row))
    columns = _header_columns(header, ctx)
    rows = _delimited_rows(reader, line, header, columns, ctx)
    return _rows_table(rows, columns.ignored, ctx)


def _counted_lines(text: str, counter: list[int]) -> Iterator[str]:
    for counter[0], line in enumerate(text.split("\n"), start=1):
        yield line + "\n"


Row = tuple[int, str, str, list[float] | None, tuple[str, ...]]  # line, id, label, scores, extra


def _rows_table(rows: Iterator[Row], ignored: tuple[str, ...], ctx: _Context) -> _Table:
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
    return _Table(
        ids=pa.array(ids, pa.string()),
        labels=pa.array(labels, pa.string()),
        scores=np.array(score_rows, dtype=np.float64).reshape(-1, k) if has_scores else None,
        ignored=tuple(sorted(extra)),
        lines=np.asarray(lines, dtype=np.int64),
    )


def _jsonl_rows(text: str, ctx: _Context) -> Iterator[Row]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip(_BLANK):
            continue
        where = f"{ctx.path}:{number}"
        obj = _json_object(line, where)
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
        extra = tuple(key for key in obj if key not in _JSON_FIELDS)
        yield number, item_id, label, scores, extra


def _json_object(line: str, where: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise PredictionsError(
            f"{where}: malformed JSON ({err.msg} at column {err.colno}); each line must be one "
            'JSON object such as {"id": "...", "label": "..."}.'
        ) from None
    except RecursionError:
        raise PredictionsError(f"{where}: malformed JSON (nested too deeply).") from None
    if not isinstance(obj, dict):
        raise PredictionsError(
            f"{where}: expected a JSON object, found {type(obj).__name__}; each line must look "
            'like {"id": "...", "label": "..."}.'
        )
    return obj


def _json_id(obj: dict[str, Any], where: str) -> str:
    if "id" not in obj:
        raise PredictionsError(f"{where}: field 'id' is missing; every line needs the item's id.")
    raw = obj["id"]
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise PredictionsError(
            f"{where}: field 'id' is {raw!r}; expected the item's id as a string (or integer)."
        )
    return str(raw)


def _json_scores(raw: Any, where: str, ctx: _Context) -> list[float]:
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


def _header_row(text: str, delimiter: str) -> list[str]:
    """The first non-blank line split into fields (a header spanning lines differs from
    what pyarrow reads, which sends the file to the line-by-line reader)."""
    lines = (line.rstrip("\r") for line in text.lstrip("\ufeff").split("\n"))
    first = next((line for line in lines if line), "")
    try:
        return next(csv.reader([first], delimiter=delimiter), [])
    except csv.Error:
        return [first]


def _header_columns(header: list[str], ctx: _Context) -> _Columns:
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


def _guard_csv(line: list[int], ctx: _Context, step: Callable[[], Any]) -> Any:
    try:
        return step()
    except csv.Error as err:
        raise PredictionsError(
            f"{ctx.path}:{line[0]}: malformed CSV/TSV ({err}); check the quoting."
        ) from None


def _delimited_rows(
    reader: Any, line: list[int], header: list[str], columns: _Columns, ctx: _Context
) -> Iterator[Row]:
    id_at, label_at = header.index(columns.id), header.index(columns.label)
    score_at = [header.index(column) for column in columns.scores]
    while (row := _guard_csv(line, ctx, lambda: next(reader, None))) is not None:
        if len(row) <= 1 and not "".join(row).strip(_BLANK):
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


# -- checks shared by both readers ---------------------------------------------------------------


def _validate(table: _Table, ctx: _Context) -> tuple[np.ndarray, np.ndarray | None, list[str]]:
    """Labels and scores in dataset order, and notices; or the first problem, by line."""
    where = _locator(table, ctx)
    n = len(table.ids)
    if n == 0:
        raise PredictionsError(
            f"{ctx.path}: the file holds no predictions; write one row per item of {ctx.dataset}."
        )
    positions = _positions(table.ids, ctx, where)
    _check_duplicates(positions, table, ctx, where)
    labels = _label_indices(table.labels, ctx, where)
    notices = []
    if table.ignored:
        notices.append(
            f"{ctx.path}: ignored fields {list(table.ignored)}; only id, label and scores "
            f"(score_<class id> columns in CSV/TSV) are read."
        )
    scores = None
    if table.scores is not None:
        scores, note = _checked_scores(table.scores, ctx, where)
        notices.extend(note)
    if n != len(ctx.ids):
        missing = np.ones(len(ctx.ids), dtype=bool)
        missing[positions] = False
        first = ctx.ids[int(np.flatnonzero(missing)[0])]
        raise PredictionsError(
            f"{ctx.path}: {len(ctx.ids) - n} of {len(ctx.ids)} items of {ctx.dataset} have no "
            f"prediction (first missing id: {first!r}); add one row per missing id."
        )
    aligned = np.empty(n, dtype=np.int64)
    aligned[positions] = labels
    aligned_scores = None
    if scores is not None:
        aligned_scores = np.empty_like(scores)
        aligned_scores[positions] = scores
    return aligned, aligned_scores, notices


def _locator(table: _Table, ctx: _Context) -> Callable[[int], str]:
    lines = table.lines

    def where(row: int) -> str:
        if lines is None:
            raise _Fallback
        return f"{ctx.path}:{lines[row]}"

    return where


def _positions(ids: pa.Array, ctx: _Context, where: Callable[[int], str]) -> np.ndarray:
    """Dataset position of each row's id."""
    found = pc.index_in(ids, value_set=pa.array(list(ctx.ids), pa.string()))
    positions = np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    unmatched = np.flatnonzero(positions < 0)
    if unmatched.size:
        by_key = _normalised_ids(ctx.ids)
        for row in unmatched:
            raw = ids[int(row)].as_py()
            index = by_key.get(_id_key(raw))
            if index is None:
                raise PredictionsError(
                    f"{where(int(row))}: id {raw!r} is not an item of {ctx.dataset}; check that "
                    "you predicted the right dataset and split."
                )
            positions[row] = index
    return positions


def _id_key(item_id: str) -> str:
    return unicodedata.normalize("NFKC", item_id).strip()


def _normalised_ids(ids: Sequence[str]) -> dict[str, int]:
    by_key: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        by_key.setdefault(_id_key(item_id), index)
    return by_key


def _check_duplicates(
    positions: np.ndarray, table: _Table, ctx: _Context, where: Callable[[int], str]
) -> None:
    order = np.argsort(positions, kind="stable")
    ranked = positions[order]
    repeats = np.flatnonzero(ranked[1:] == ranked[:-1]) + 1
    if not repeats.size:
        return
    row = int(order[repeats].min())
    first = int(np.flatnonzero(positions == positions[row])[0])
    location = where(row)
    assert table.lines is not None  # where() returned, so lines are known
    raise PredictionsError(
        f"{location}: id {ctx.ids[positions[row]]!r} already appeared on line "
        f"{table.lines[first]}; keep exactly one prediction per id."
    )


def _label_indices(labels: pa.Array, ctx: _Context, where: Callable[[int], str]) -> np.ndarray:
    encoded = labels.dictionary_encode()
    lookup = _label_lookup(ctx.schema)
    values = [lookup.get(_label_key(value), -1) for value in encoded.dictionary.to_pylist()]
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    indices = np.asarray(values, dtype=np.int64)[codes]
    bad = np.flatnonzero(indices < 0)
    if bad.size:
        row = int(bad[0])
        raise PredictionsError(
            f"{where(row)}: label {labels[row].as_py()!r} is not a class; expected a class id "
            f"{list(ctx.schema.class_ids)}, a Japanese name or alias "
            f"({sorted(k for k in lookup if not k.isascii())}) (schema {ctx.schema.version})."
        )
    return indices


def _label_key(label: str) -> str:
    return unicodedata.normalize("NFKC", label).strip().casefold()


def _label_lookup(schema: LabelSchema) -> dict[str, int]:
    """Normalised label → class index: class ids, Japanese names and the aliases."""
    lookup = {_label_key(c.id): i for i, c in enumerate(schema.classes)}
    lookup.update({_label_key(c.name_ja): i for i, c in enumerate(schema.classes)})
    aliases = {r.native: r.label for m in get_spec("local").mappings for r in m.rules if r.label}
    for alias, class_id in {**aliases, **EXTRA_ALIASES}.items():
        lookup[_label_key(alias)] = schema.str2int(class_id)
    return lookup


def _checked_scores(
    scores: np.ndarray, ctx: _Context, where: Callable[[int], str]
) -> tuple[np.ndarray, list[str]]:
    names = ctx.schema.class_ids
    finite = np.logical_and.reduce(np.isfinite(scores), axis=1)
    negative = np.logical_or.reduce(scores < 0, axis=1)
    sums: np.ndarray = scores.sum(axis=1)
    off = ~(np.abs(sums - 1.0) <= SUM_TOLERANCE)
    bad = ~finite | negative | ((sums <= 0) if ctx.renormalise else off)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        shown = {name: float(v) for name, v in zip(names, scores[row], strict=True)}
        problem = _score_problem(
            bool(finite[row]), bool(negative[row]), float(sums[row]), ctx.renormalise
        )
        raise PredictionsError(f"{where(row)}: scores {shown} {problem}")
    if not ctx.renormalise:
        return scores, []
    notices = []
    if off.any():
        notices.append(
            f"{ctx.path}: renormalised the scores of {int(off.sum())} of {len(scores)} rows "
            "that did not sum to one (--renormalise-scores)."
        )
    return scores / sums[:, None], notices


def _score_problem(finite: bool, negative: bool, total: float, renormalise: bool) -> str:
    if not finite:
        return "include NaN or infinity; expected finite probabilities."
    if negative:
        return "include a negative value; expected probabilities (non-negative, summing to one)."
    if renormalise:
        return "sum to 0; cannot renormalise, give at least one positive score."
    return (
        f"sum to {total:.9g}; expected probabilities summing to one (±{SUM_TOLERANCE:g}). Apply "
        "a softmax, or pass --renormalise-scores (task.renormalise_scores=true) to divide each "
        "row by its sum."
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
