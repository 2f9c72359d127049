"""The versioned result file, ``result.json``.

``RESULT_SCHEMA_VERSION`` changes whenever a field changes meaning; readers must keep
loading every older version (tests load committed examples of each).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

RESULT_SCHEMA_VERSION: Literal["1"] = "1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatasetProvenance(_Model):
    name: str
    version: str
    license: str
    train_split: str | None
    eval_split: str
    n_eval: int
    files_sha256: dict[str, str]
    annotation_schema_version: str | None = None
    train_dataset: str | None = None
    train_files_sha256: dict[str, str] | None = None


class Provenance(_Model):
    dataset: DatasetProvenance
    label_schema_version: str
    config: dict[str, Any]
    config_sha256: str
    code: dict[str, Any]
    packages: dict[str, str]
    environment: dict[str, str]
    submission: dict[str, str] | None = None
    also_evaluated: dict[str, DatasetProvenance] | None = None  # datasets of `also_evaluate`


class EvalResult(_Model):
    result_schema_version: Literal["1"] = RESULT_SCHEMA_VERSION
    kind: Literal["train_eval", "score"]
    model: str
    dataset: str
    split: str
    scores: dict[str, Any]
    provenance: Provenance

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def load_result(path: str | Path) -> EvalResult:
    return EvalResult.model_validate_json(Path(path).read_text(encoding="utf-8"))
