"""Loader for ``inspection_ai``: Inspection AI's japanese-toxic-dataset (``data/subset.csv``).

Binary view "actionable". Each row carries vote counts for four toxicity levels; the spec's
``toxicity_level`` mapping turns each level into a voting option (a label, or a bucket for
excluded outcomes), and the option with the most votes wins. Rows won by an excluded option
("Hard to Say" → ``unsure``) and ties are excluded and counted in ``info.description``
(:func:`benchmark.loaders._tables.exclusion_counts` reads them back); ``keep_ties=True`` adds a ``ties`` split.
The ``category`` mapping fills ``subtypes`` for actionable rows.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark import external
from benchmark.errors import ConfigError, SchemaError
from benchmark.features import binary_label_feature
from benchmark.loaders._tables import COUNTS_PREFIX, to_dataset, voting_options
from benchmark.registry import DatasetSpec, LabelMapping, get_spec
from benchmark.schema import LabelSchema

if TYPE_CHECKING:
    from datasets import DatasetDict

NAME = "inspection_ai"
VIEW = "actionable"
CSV_PATH = "data/subset.csv"
# upstream column → HiboBench column (names from the upstream README's English column table)
LEVEL_COLUMNS = {
    "Not Toxic": "votes_not_toxic",
    "Hard to Say": "votes_hard_to_say",
    "Toxic": "votes_toxic",
    "Very Toxic": "votes_very_toxic",
}
CATEGORY_COLUMNS = {
    "卑語": "category_dignity",
    "差別": "category_discrimination",
    "迷惑行為": "category_harassment",
    "猥褻": "category_obscenity",
    "出会い・プライバシー侵害": "category_privacy",
    "違法行為": "category_illegal",
    "偏向表現": "category_bias",
}
HEADER = (
    "id",
    "text",
    *LEVEL_COLUMNS,
    *(f"category_{c}" for c in CATEGORY_COLUMNS),
    "annotation_num",
)


def spec() -> DatasetSpec:
    return get_spec(NAME)


def data_files(*, data_dir: str | Path | None = None, **view_options: Any) -> list[Path]:
    return [external.dataset_folder(spec(), data_dir) / CSV_PATH]


def level_options(mapping: LabelMapping | None = None) -> dict[str, str]:
    """Toxicity level → voting option (the rule's label, or its bucket when excluded)."""
    mapping = mapping or spec().mapping("toxicity_level")
    options = voting_options(mapping, dataset=NAME)
    _check_natives("toxicity_level", set(options), set(LEVEL_COLUMNS))
    return options


def category_subtypes() -> dict[str, tuple[str, ...]]:
    """Upstream category → HiboBench subtypes (empty when the category has no counterpart)."""
    rules = {rule.native: rule.subtypes for rule in spec().mapping("category").rules}
    _check_natives("category", set(rules), set(CATEGORY_COLUMNS))
    return rules


def _check_natives(field: str, found: set[str], expected: set[str]) -> None:
    if found != expected:
        raise SchemaError(
            f"{NAME} spec, mapping {field!r}: rules cover {sorted(found)} but subset.csv has "
            f"{sorted(expected)}; give every native value exactly one rule."
        )


def vote(counts: dict[str, int], options: dict[str, str]) -> tuple[str | None, list[str]]:
    """(winning option, []) or (None, the options tied for the most votes)."""
    totals: Counter[str] = Counter()
    for level, option in options.items():
        totals[option] += counts[level]
    best = max(totals.values())
    top = sorted(option for option, total in totals.items() if total == best)
    return (top[0], []) if len(top) == 1 else (None, top)


def _int(value: str, where: str, column: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise SchemaError(
            f"{where}: column {column!r} should be a vote count (an integer >= 0), found "
            f"{value!r}; use the unmodified upstream subset.csv."
        )
    return number


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of subset.csv, checked, with upstream column names."""
    rows = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or sorted(header) != sorted(HEADER):
            raise SchemaError(
                f"{path}:1: header should have the columns {list(HEADER)}, found {header}; "
                "use the unmodified upstream data/subset.csv (an unknown column is a native "
                "label the spec does not map)."
            )
        for line, values in enumerate(reader, start=2):
            where = f"{path}:{line}"
            if len(values) != len(header):
                raise SchemaError(
                    f"{where}: expected {len(header)} fields, found {len(values)}; the row is "
                    "malformed (check quoting), use the unmodified upstream file."
                )
            raw = dict(zip(header, values, strict=True))
            row: dict[str, Any] = {"id": raw["id"].strip(), "text": raw["text"]}
            if not row["id"]:
                raise SchemaError(f"{where}: field 'id' is empty; every row needs an id.")
            if row["id"] in seen:
                raise SchemaError(
                    f"{where}: id {row['id']!r} already used on line {seen[row['id']]}; ids "
                    "must be unique."
                )
            seen[row["id"]] = line
            for column in (*LEVEL_COLUMNS, *(f"category_{c}" for c in CATEGORY_COLUMNS)):
                row[column] = _int(raw[column], where, column)
            row["annotation_num"] = _int(raw["annotation_num"], where, "annotation_num")
            level_total = sum(row[level] for level in LEVEL_COLUMNS)
            if row["annotation_num"] == 0 or level_total != row["annotation_num"]:
                raise SchemaError(
                    f"{where}: field 'annotation_num' is {row['annotation_num']} but the "
                    f"toxicity-level votes add up to {level_total}; expected equal and > 0."
                )
            rows.append(row)
    return rows


def build_record(row: dict[str, Any], options: dict[str, str]) -> dict[str, Any]:
    """A HiboBench record; ``label`` is the winning option or None (excluded), ``tied_options``
    lists the options tied for the most votes."""
    winner, tied = vote({level: row[level] for level in LEVEL_COLUMNS}, options)
    n = row["annotation_num"]
    positive = sum(row[level] for level, option in options.items() if option == VIEW)
    subtypes: list[str] = []
    if winner == VIEW:
        for category, mapped in category_subtypes().items():
            if 2 * row[f"category_{category}"] >= n:
                subtypes.extend(s for s in mapped if s not in subtypes)
    return {
        "id": row["id"],
        "text": row["text"],
        "outcome": winner,
        "tie": winner is None,
        "tied_options": tied,
        "soft_label": positive / n,
        "annotation_num": n,
        **{column: row[level] for level, column in LEVEL_COLUMNS.items()},
        **{column: row[f"category_{cat}"] for cat, column in CATEGORY_COLUMNS.items()},
        "subtypes": subtypes,
    }


def _features() -> Any:
    from datasets import Features, List, Value

    return Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "label": binary_label_feature(VIEW),
            "tie": Value("bool"),
            "tied_options": List(Value("string")),
            "soft_label": Value("float64"),
            "annotation_num": Value("int32"),
            **{column: Value("int32") for column in LEVEL_COLUMNS.values()},
            **{column: Value("int32") for column in CATEGORY_COLUMNS.values()},
            "subtypes": List(Value("string")),
        }
    )


def load(
    schema: LabelSchema,
    *,
    data_dir: str | Path | None = None,
    accept_checksum_mismatch: bool = False,
    keep_ties: bool = False,
    **view_options: Any,
) -> DatasetDict:
    """The ``test`` split (labelled rows); with ``keep_ties`` also ``ties`` (label -1)."""
    the_spec = spec()
    folder = external.dataset_folder(the_spec, data_dir)
    (path,) = external.require_files(the_spec, folder, [CSV_PATH])
    if view_options:
        raise ConfigError(
            f"{NAME}: unknown option(s) {sorted(view_options)}; known options are data_dir, "
            "accept_checksum_mismatch, keep_ties."
        )
    external.verify_checksums(the_spec, folder, accept_mismatch=accept_checksum_mismatch)
    from datasets import DatasetDict, DatasetInfo

    options = level_options()
    label_ids = {name: i for i, name in enumerate(binary_label_feature(VIEW).names)}
    rows = read_rows(path)
    test, ties = [], []
    excluded: Counter[str] = Counter()
    for row in rows:
        record = build_record(row, options)
        outcome = record.pop("outcome")
        if outcome in label_ids:
            test.append({**record, "label": label_ids[outcome]})
        elif outcome is None:
            excluded["tie"] += 1
            ties.append({**record, "label": -1})
        else:
            excluded[outcome] += 1
    counts = {
        "rows_read": len(rows),
        "test": len(test),
        "test_by_label": {
            name: sum(r["label"] == i for r in test) for name, i in label_ids.items()
        },
        "excluded": dict(sorted(excluded.items())),
        "ties_by_options": dict(sorted(Counter("+".join(r["tied_options"]) for r in ties).items())),
        "ties_kept_in_split": keep_ties,
    }
    description = (
        f"Inspection AI japanese-toxic-dataset subset.csv ({the_spec.version[:7]}), binary view "
        f"'{VIEW}' by plurality vote over toxicity levels. {len(rows)} rows read, {len(test)} "
        f"in 'test'; excluded: {counts['excluded']} (see the card)."
        f"\n{COUNTS_PREFIX}{json.dumps(counts, ensure_ascii=False, sort_keys=True)}"
    )
    info = DatasetInfo(
        description=description,
        license=the_spec.license,
        version=None,
        citation=the_spec.citation or "",
        homepage=the_spec.source.url or "",
        features=_features(),
    )
    features = info.features
    splits = {"test": to_dataset(test, features, info.copy())}
    if keep_ties:
        splits["ties"] = to_dataset(ties, features, info.copy())
    return DatasetDict(splits)
