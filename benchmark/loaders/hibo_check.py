"""Loader for ``hibo_check``, the functional test suite (test split only).

Models are trained on another dataset (``train_from`` in ``conf/dataset/hibo_check.yaml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from benchmark.errors import SchemaError
from benchmark.features import annotation_features
from benchmark.hibocheck import data_dir
from benchmark.jsonl import iter_jsonl
from benchmark.schema import LabelSchema

if TYPE_CHECKING:
    from datasets import DatasetDict

SCHEMA_FIELDS = (
    "illegal_subtypes", "harmful_subtypes", "target_type", "identifiable", "claim_type",
    "speech_act", "platform",
)  # fmt: skip
EXTRA_COLUMNS = ("functionality", "functionality_name", "template_id", "ref_case_id", "pair_type")


def data_files() -> list[Path]:
    folder = data_dir()
    return [folder / "cases.jsonl", folder / "templates.yaml", folder / "fillers.yaml"]


def load(schema: LabelSchema) -> DatasetDict:
    from datasets import Dataset, DatasetDict, DatasetInfo

    path = data_files()[0]
    rows = []
    for number, row in iter_jsonl(path, error=SchemaError):
        schema.validate_record(
            row, required=("id", "text", "label", "functionality"), where=f"{path}:{number}"
        )
        rows.append(
            {
                "id": row["id"],
                "text": row["text"],
                "label": schema.str2int(row["label"]),
                **{name: row[name] for name in SCHEMA_FIELDS},
                **{name: row.get(name) for name in EXTRA_COLUMNS},
            }
        )
    features = annotation_features(schema, fields=SCHEMA_FIELDS, string_columns=EXTRA_COLUMNS)
    info = DatasetInfo(
        description="HiboCheck functional tests (generated from templates).",
        license="CC BY 4.0",
        version="1.0.0",
        features=features,
    )
    return DatasetDict({"test": Dataset.from_list(rows, info=info)})
