"""Loader for ``local``: a user's own labelled file (CSV, TSV, JSONL or Parquet), four-way.

Options (``dataset.options.*``):
  ``path``          the file (required); a relative path is read from ``data_dir`` when given,
                    else from the current directory.
  ``format``        ``csv``, ``tsv``, ``jsonl`` or ``parquet``; default from the suffix.
  ``id_column``     default ``id``; when the file has no such column, ids are ``row-<n>`` from
                    the 1-based row number (said in ``DatasetInfo.description``).
  ``text_column``   default ``text``; texts are kept exactly as given (no normalisation).
  ``label_column``  default ``label``.
  ``label_map``     ``{native value: class id}``; added to (and winning over) the defaults, which
                    are the schema's class ids and the Japanese aliases in the spec
                    (``benchmark/specs/local.yaml``).
  ``unmapped``      ``error`` (default): a label that maps to nothing is a SchemaError naming
                    file, line, value and fix; ``exclude``: such rows are dropped and counted.
  ``split``         name of the single split (default ``test``).
  ``encoding``      default ``utf-8`` (a BOM is tolerated); ``cp932`` for Shift_JIS files.

CSV, TSV and Parquet files are read and checked a column at a time (by Arrow when a delimited
file has no quote characters); when any check fails the file is read again row by row, so the
error names the file and line. JSONL is always read row by row.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Mapping
from itertools import compress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from benchmark import external
from benchmark.errors import ConfigError, SchemaError
from benchmark.jsonl import parse_jsonl
from benchmark.loaders._tables import excluded_text
from benchmark.registry import DatasetSpec, get_spec
from benchmark.schema import LabelSchema

if TYPE_CHECKING:
    import pyarrow as pa
    from datasets import Dataset, DatasetDict

NAME = "local"
FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
UNMAPPED = ("error", "exclude")

Record = tuple[str, dict[str, Any]]  # (where: "file:line" or "file: row n", the row)
Columns = dict[str, list[str]]  # column name -> one value per row


# -- reading ---------------------------------------------------------------------------------


def file_format(path: Path, format: str | None = None) -> str:
    """The format named by ``format``, else the one the suffix implies."""
    known = sorted(set(FORMATS.values()))
    if format is not None:
        if format.lower() not in known:
            raise ConfigError(f"dataset.options.format is {format!r}; expected one of {known}.")
        return format.lower()
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ConfigError(
            f"{path}: cannot tell the format from the suffix {path.suffix!r}; use one of "
            f"{sorted(FORMATS)} or set dataset.options.format to one of {known}."
        )
    return fmt


def decode(path: Path, data: bytes, encoding: str = "utf-8") -> str:
    """Decode ``data`` strictly; a failure names the line and how to fix it."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ConfigError(
            f"dataset.options.encoding is {encoding!r}, which Python does not know; use utf-8 "
            "(the default) or cp932."
        ) from None
    if codec in ("utf-8", "utf-8-sig"):
        codec = "utf-8-sig"  # a BOM (Excel's "CSV UTF-8") is tolerated
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        if codec == "utf-8-sig":
            raise SchemaError(
                f"{path}:{line}: the file is not UTF-8 (byte 0x{data[err.start]:02x} cannot be "
                f"decoded); save it as UTF-8, e.g. 'iconv -f CP932 -t UTF-8 {path.name} > "
                f"fixed{path.suffix}', or read it as it is with dataset.options.encoding=cp932."
            ) from None
        raise SchemaError(
            f"{path}:{line}: byte 0x{data[err.start]:02x} cannot be decoded as {encoding}; "
            "check dataset.options.encoding (utf-8 or cp932)."
        ) from None


def read_records(
    path: Path, fmt: str, *, encoding: str = "utf-8"
) -> tuple[list[str] | None, list[Record]]:
    """The column names (None for JSONL, whose keys may vary) and every record of ``path``."""
    if fmt == "parquet":
        return _read_parquet(path)
    text = decode(path, path.read_bytes(), encoding)
    if fmt == "jsonl":
        return None, _read_jsonl(path, text)
    return _read_delimited(path, text, "\t" if fmt == "tsv" else ",")


def _read_parquet(path: Path) -> tuple[list[str], list[Record]]:
    table = _parquet_table(path)
    rows = table.to_pylist()
    return list(table.column_names), [(f"{path}: row {n}", row) for n, row in enumerate(rows, 1)]


def _parquet_table(path: Path) -> pa.Table:
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path)
    except Exception as err:  # pyarrow raises several types for a file that is not Parquet
        raise SchemaError(f"{path}: cannot be read as Parquet ({err}).") from None


def _read_jsonl(path: Path, text: str) -> list[Record]:
    return [(f"{path}:{number}", obj) for number, obj in parse_jsonl(path, text, error=SchemaError)]


def _read_delimited(path: Path, text: str, delimiter: str) -> tuple[list[str], list[Record]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    name = "TSV" if delimiter == "\t" else "CSV"
    try:
        header = next(reader, None)
        if header is None:
            raise SchemaError(f"{path}: the file is empty; expected a header row and data rows.")
        records = []
        for row in reader:
            if not row:
                continue
            where = f"{path}:{reader.line_num}"
            if len(row) != len(header):
                raise SchemaError(
                    f"{where}: row has {len(row)} fields but the header has {len(header)} "
                    f"({header}); quote fields that contain '{delimiter}' or line breaks."
                )
            records.append((where, dict(zip(header, row, strict=True))))
    except csv.Error as err:
        raise SchemaError(f"{path}:{reader.line_num}: malformed {name} ({err}).") from None
    return header, records


# -- reading whole columns (the fast path) ---------------------------------------------------


def read_columns(
    path: Path, fmt: str, names: tuple[str, ...], *, encoding: str = "utf-8"
) -> Columns | None:
    """The columns ``names`` that ``path`` has, each a list of strings; None when only the
    row-by-row reader can tell (JSONL, whose keys may vary; a malformed or ragged file; Parquet
    cells that are not all strings)."""
    if fmt == "parquet":
        return _parquet_columns(_parquet_table(path), names)
    if fmt == "jsonl":
        return None
    text = decode(path, path.read_bytes(), encoding)
    return _delimited_columns(text, "\t" if fmt == "tsv" else ",", names)


def _delimited_columns(text: str, delimiter: str, names: tuple[str, ...]) -> Columns | None:
    if '"' in text:  # quoted fields: only the csv module reads them as the row-by-row reader does
        return _csv_module_columns(text, delimiter, names)
    return _arrow_csv_columns(text, delimiter, names)


def _csv_module_columns(text: str, delimiter: str, names: tuple[str, ...]) -> Columns | None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        rows = [row for row in reader if row]
    except csv.Error:
        return None
    if not _usable_header(header) or set(map(len, rows)) - {len(header)}:
        return None
    values = zip(*rows, strict=True) if rows else [()] * len(header)
    return {
        name: list(column) for name, column in zip(header, values, strict=True) if name in names
    }


def _arrow_csv_columns(text: str, delimiter: str, names: tuple[str, ...]) -> Columns | None:
    """Columns of a file without quote characters, whose fields are simply what lies between
    delimiters and line breaks: Arrow reads them as the csv module would, only faster."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    first_line = text[: text.find("\n") + 1] or text
    header = next(csv.reader(io.StringIO(first_line, newline=""), delimiter=delimiter), None)
    if not _usable_header(header):
        return None
    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char=False),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string())),
        )
    except pa.ArrowInvalid:  # e.g. a row with the wrong number of fields
        return None
    limit = csv.field_size_limit()
    if any((pc.max(pc.utf8_length(column)).as_py() or 0) > limit for column in table.columns):
        return None  # the csv module refuses such a field
    return {name: table.column(name).to_pylist() for name in header if name in names}


def _usable_header(header: list[str] | None) -> TypeGuard[list[str]]:
    """A first row to key columns by: not empty, and no name twice."""
    return header is not None and 0 < len(set(header)) == len(header)


def _parquet_columns(table: pa.Table, names: tuple[str, ...]) -> Columns | None:
    import pyarrow as pa

    if len(set(table.column_names)) < len(table.column_names):
        return None
    columns = {}
    for name in set(names) & set(table.column_names):
        column = table.column(name)
        is_text = pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
        if not is_text or column.null_count:
            return None
        columns[name] = column.to_pylist()
    return columns


def build_columns(
    columns: Columns,
    lookup: dict[str, str],
    id_column: str,
    text_column: str,
    label_column: str,
    unmapped: str,
) -> tuple[Columns, Counter[str], bool] | None:
    """What :func:`build_rows` gives, as columns (``id``, ``text``, ``label``, ``native_label``),
    checked a column at a time; None when any check fails, for build_rows to name the line."""
    if text_column not in columns or label_column not in columns:
        return None
    texts = columns[text_column]
    ids_given = id_column in columns
    if ids_given:
        ids = columns[id_column]
        if not all(map(str.strip, ids)) or len(set(ids)) < len(ids):
            return None
    else:
        ids = [f"row-{number}" for number in range(1, len(texts) + 1)]
    if not all(map(str.strip, texts)):
        return None
    natives = list(map(str.strip, columns[label_column]))
    labels = [lookup.get(native, "") for native in natives]  # "" is no class id
    excluded: Counter[str] = Counter()
    if "" in labels:
        if unmapped != "exclude":
            return None
        keep = [bool(label) for label in labels]
        excluded.update(native for native, kept in zip(natives, keep, strict=True) if not kept)
        ids, texts, labels, natives = (
            list(compress(values, keep)) for values in (ids, texts, labels, natives)
        )
    built = {"id": ids, "text": texts, "label": labels, "native_label": natives}
    return built, excluded, ids_given


# -- labels ----------------------------------------------------------------------------------


def label_lookup(
    schema: LabelSchema, spec: DatasetSpec, label_map: Mapping[Any, Any] | None = None
) -> dict[str, str]:
    """Native label → class id: the class ids, the spec's aliases, then ``label_map``."""
    lookup = {class_id: class_id for class_id in schema.class_ids}
    for mapping in spec.mappings:
        for rule in mapping.rules:
            if rule.label is not None and rule.label not in schema.class_ids:
                raise SchemaError(
                    f"benchmark/specs/{spec.name}.yaml: alias {rule.native!r} maps to "
                    f"{rule.label!r}, which is not a class id {list(schema.class_ids)}."
                )
            if rule.label is not None:
                lookup[rule.native] = rule.label
    if label_map is None:
        return lookup
    if not isinstance(label_map, Mapping):
        raise ConfigError(
            f"dataset.options.label_map is {label_map!r}; expected a mapping such as "
            "{'0': none, '1': illegal} (or null)."
        )
    for native, class_id in label_map.items():
        if class_id not in schema.class_ids:
            raise ConfigError(
                f"dataset.options.label_map maps {native!r} to {class_id!r}, which is not a "
                f"class id; allowed values are {list(schema.class_ids)}."
            )
        lookup[str(native).strip()] = class_id
    return lookup


def native_label(value: Any) -> str:
    """A label cell as the string label_map keys are compared with."""
    return "" if value is None else str(value).strip()


# -- loading ---------------------------------------------------------------------------------


def resolve_path(path: str | Path | None, data_dir: str | Path | None = None) -> Path:
    if path is None or str(path).strip() in ("", "???"):
        raise ConfigError(
            "dataset 'local' needs your file: set dataset.options.path, e.g. "
            "'hibobench run dataset=local dataset.options.path=my_posts.csv' (CSV, TSV, JSONL or "
            "Parquet with columns text and label)."
        )
    resolved = Path(path).expanduser()
    if not resolved.is_absolute() and data_dir is not None:
        resolved = Path(data_dir).expanduser() / resolved
    return resolved


def data_files(
    *, data_dir: str | Path | None = None, path: str | Path | None = None, **_options: Any
) -> list[Path]:
    return [resolve_path(path, data_dir)]


def load(
    schema: LabelSchema,
    *,
    data_dir: str | Path | None = None,
    accept_checksum_mismatch: bool = False,
    path: str | Path | None = None,
    format: str | None = None,
    id_column: str = "id",
    text_column: str = "text",
    label_column: str = "label",
    label_map: Mapping[Any, Any] | None = None,
    split: str = "test",
    encoding: str = "utf-8",
    unmapped: str = "error",
    **options: Any,
) -> DatasetDict:
    spec = get_spec(NAME)
    file = resolve_path(path, data_dir)
    if options:
        raise ConfigError(
            f"{NAME}: unknown option(s) {sorted(options)}; known options are path, format, "
            "id_column, text_column, label_column, label_map, unmapped, split, encoding, "
            "data_dir, accept_checksum_mismatch."
        )
    if not file.is_file():
        raise external.DatasetUnavailableError(
            f"dataset 'local': {file} {'is a directory' if file.is_dir() else 'does not exist'}; "
            "set dataset.options.path to your CSV, TSV, JSONL or Parquet file (a relative path "
            f"is read from {'dataset.options.data_dir' if data_dir is not None else 'the current directory'})."
        )
    external.verify_checksums(spec, file.parent, accept_mismatch=accept_checksum_mismatch)
    if unmapped not in UNMAPPED:
        raise ConfigError(
            f"dataset.options.unmapped is {unmapped!r}; expected one of {list(UNMAPPED)}."
        )
    fmt = file_format(file, format)
    lookup = label_lookup(schema, spec, label_map)
    names = (id_column, text_column, label_column)
    built = None
    fast_columns = read_columns(file, fmt, names, encoding=encoding)
    if fast_columns is not None:
        built = build_columns(fast_columns, lookup, *names, unmapped)
    if built is None:  # row by row: a problem is reported with its file and line
        header, records = read_records(file, fmt, encoding=encoding)
        rows, excluded, ids_given = build_rows(
            file, header, records, lookup, id_column, text_column, label_column, unmapped
        )
        built = rows_to_columns(rows), excluded, ids_given
    columns, excluded, ids_given = built
    source = f"Local file {file.name} ({fmt}, {encoding})"
    description = describe(source, schema, columns["label"], excluded, id_column, ids_given)

    from datasets import DatasetDict

    return DatasetDict({split: to_dataset(columns, schema, description, spec.license)})


def rows_to_columns(rows: list[dict[str, Any]]) -> Columns:
    keys = ("id", "text", "label", "native_label")
    return {key: [row[key] for row in rows] for key in keys}


def describe(
    source: str,
    schema: LabelSchema,
    labels: list[str],
    excluded: Counter[str],
    id_column: str,
    ids_given: bool,
) -> str:
    """What was read: rows per class, where the ids came from and what was excluded."""
    counts = Counter(labels)
    per_class = {class_id: counts[class_id] for class_id in schema.class_ids}
    return (
        f"{source}: {len(labels)} rows ({per_class}); "
        + (
            f"ids from column {id_column!r}; "
            if ids_given
            else f"no {id_column!r} column, so ids are 'row-<n>' from the 1-based row number; "
        )
        + excluded_text(excluded, kind="with unmapped labels ")
    )


def to_dataset(columns: Columns, schema: LabelSchema, description: str, license: str) -> Dataset:
    """A Dataset of built columns (label as class id), straight from an Arrow table."""
    import pyarrow as pa
    from datasets import ClassLabel, Dataset, DatasetInfo, Features, Value

    features = Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "label": ClassLabel(names=list(schema.class_ids)),
            "native_label": Value("string"),
        }
    )
    index = {class_id: i for i, class_id in enumerate(schema.class_ids)}
    table = pa.table(
        {
            "id": pa.array(columns["id"], pa.string()),
            "text": pa.array(columns["text"], pa.string()),
            "label": pa.array([index[label] for label in columns["label"]], pa.int64()),
            "native_label": pa.array(columns["native_label"], pa.string()),
        }
    )
    info = DatasetInfo(description=description, license=license, features=features)
    return Dataset(table, info=info)


def build_rows(
    file: Path,
    columns: list[str] | None,
    records: list[Record],
    lookup: dict[str, str],
    id_column: str,
    text_column: str,
    label_column: str,
    unmapped: str,
) -> tuple[list[dict[str, Any]], Counter[str], bool]:
    """Validated rows (label as class id), excluded unmapped labels and whether ids were given."""
    option_of = {text_column: "text_column", label_column: "label_column"}
    if columns is not None:
        for column in (text_column, label_column):
            if column not in columns:
                raise SchemaError(
                    f"{file}: column {column!r} not found; the file has columns {columns}. "
                    f"Set dataset.options.{option_of[column]} to the right one."
                )
        ids_given = id_column in columns
    else:
        ids_given = bool(records) and id_column in records[0][1]
    rows: list[dict[str, Any]] = []
    excluded: Counter[str] = Counter()
    seen: dict[str, str] = {}
    for number, (where, record) in enumerate(records, start=1):
        for column in (text_column, label_column):
            if column not in record:
                raise SchemaError(
                    f"{where}: field {column!r} is missing (the record has {sorted(record)}); "
                    f"set dataset.options.{option_of[column]} or fix the record."
                )
        if (id_column in record) != ids_given:
            raise SchemaError(
                f"{where}: field {id_column!r} is {'missing' if ids_given else 'present'} but "
                f"the first record {'has' if ids_given else 'lacks'} it; give every record an "
                "id or none."
            )
        if ids_given:
            value = record[id_column]
            row_id = "" if value is None else str(value)
            if not row_id.strip():
                raise SchemaError(f"{where}: field {id_column!r} is empty; give every row an id.")
        else:
            row_id = f"row-{number}"
        if row_id in seen:
            raise SchemaError(f"{where}: id {row_id!r} already used at {seen[row_id]}.")
        seen[row_id] = where
        text = record[text_column]
        if not isinstance(text, str) or not text.strip():
            raise SchemaError(
                f"{where}: field {text_column!r} is {text!r}; expected a non-empty string. "
                "Fill in the text or remove the row."
            )
        native = native_label(record[label_column])
        class_id = lookup.get(native)
        if class_id is None:
            if unmapped == "exclude":
                excluded[native] += 1
                continue
            raise SchemaError(
                f"{where}: field {label_column!r} has value {native!r}, which maps to no class; "
                f"allowed values are {sorted(lookup)}. Add it to dataset.options.label_map (e.g. "
                f"dataset.options.label_map='{{{native or 'VALUE'}: harmful}}'), or drop such rows "
                "with dataset.options.unmapped=exclude."
            )
        rows.append({"id": row_id, "text": text, "label": class_id, "native_label": native})
    return rows, excluded, ids_given
