"""Loader for ``hibo_core`` (HiboCore v1), the built-in dataset shipped with the package.

Layout of the data folder (built by ``data_build/hibo_core/build.py`` from the authored parts):
  ``posts.jsonl``      one annotated post per line (schema fields + ``id``, ``text``, ``scenario``)
  ``scenarios.jsonl``  one scenario per line: ``id``, ``split``, ``domain``, ``description_ja``
Splits are assigned per scenario, so no scenario appears in two splits.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from benchmark.errors import SchemaError
from benchmark.features import annotation_features
from benchmark.jsonl import iter_jsonl
from benchmark.resources import builtin_data_dir
from benchmark.schema import LabelSchema

if TYPE_CHECKING:
    from datasets import DatasetDict

VERSION = "1.0.0"
SPLITS = ("train", "dev", "test")
SCHEMA_FIELDS = (
    "illegal_subtypes",
    "harmful_subtypes",
    "target_type",
    "identifiable",
    "claim_type",
    "speech_act",
    "platform",
    "public_interest",
    "public_purpose",
    "truth_basis",
    "flags",
    "pile_on",
    "decision_path",
)  # fmt: skip  -- the fields of label schema 0.2 that every HiboCore v1 record carries
EXTRA_COLUMNS = ("scenario", "rationale_ja")
REQUIRED_FIELDS = ("id", "text", "label", *SCHEMA_FIELDS, *EXTRA_COLUMNS)


def data_files(*, data_dir: str | Path | None = None) -> list[Path]:
    folder = Path(data_dir) if data_dir is not None else builtin_data_dir("hibo_core")
    return [folder / "posts.jsonl", folder / "scenarios.jsonl"]


def read_scenarios(path: Path) -> dict[str, dict]:
    scenarios: dict[str, dict] = {}
    for number, row in iter_jsonl(path, error=SchemaError):
        where = f"{path}:{number}"
        for key in ("id", "split", "description_ja"):
            if key not in row:
                raise SchemaError(f"{where}: required field '{key}' is missing.")
        if row["split"] not in SPLITS:
            raise SchemaError(
                f"{where}: field 'split' has value {row['split']!r}; allowed values are {list(SPLITS)}."
            )
        if row["id"] in scenarios:
            raise SchemaError(f"{where}: scenario id {row['id']!r} appears twice.")
        scenarios[row["id"]] = row
    return scenarios


def read_posts(
    path: Path, schema: LabelSchema, scenarios: dict[str, dict]
) -> dict[str, list[dict]]:
    """Validated posts grouped by split."""
    by_split: dict[str, list[dict]] = defaultdict(list)
    seen: dict[str, int] = {}
    for number, row in iter_jsonl(path, error=SchemaError):
        where = f"{path}:{number}"
        schema.validate_record(row, required=REQUIRED_FIELDS, where=where)
        if row["id"] in seen:
            raise SchemaError(f"{where}: id {row['id']!r} already used on line {seen[row['id']]}.")
        seen[row["id"]] = number
        scenario = scenarios.get(row["scenario"])
        if scenario is None:
            raise SchemaError(
                f"{where}: field 'scenario' has value {row['scenario']!r}, which is not in "
                "scenarios.jsonl; add the scenario there."
            )
        by_split[scenario["split"]].append({key: row[key] for key in REQUIRED_FIELDS})
    return by_split


def load(schema: LabelSchema, *, data_dir: str | Path | None = None) -> DatasetDict:
    from datasets import Dataset, DatasetDict, DatasetInfo

    posts_path, scenarios_path = data_files(data_dir=data_dir)
    by_split = read_posts(posts_path, schema, read_scenarios(scenarios_path))
    features = annotation_features(schema, fields=SCHEMA_FIELDS, string_columns=EXTRA_COLUMNS)
    info = DatasetInfo(
        description="HiboBench HiboCore v1 (fictional posts in minimal-pair scenarios).",
        license="CC BY 4.0",
        version=VERSION,
        features=features,
    )
    return DatasetDict(
        {
            split: Dataset.from_list(
                [{**row, "label": schema.str2int(row["label"])} for row in by_split.get(split, [])],
                info=info,
            )
            for split in SPLITS
        }
    )
