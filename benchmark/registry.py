"""The dataset registry: typed metadata for every dataset HiboBench can load.

>>> "hibo_core" in list_datasets()
True
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from benchmark.errors import DatasetNotFoundError, SchemaError
from benchmark.schema import LabelSchema, load_schema

if TYPE_CHECKING:
    from datasets import DatasetDict


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceFile(_Spec):
    path: str  # relative to the dataset folder
    sha256: str | None = None  # pinned upstream content; None for user-supplied files
    required: bool = True
    description: str = ""


class Source(_Spec):
    """Where the data comes from and where HiboBench looks for it."""

    kind: Literal["builtin", "local", "hub"]
    folder: str | None = None  # folder name under $HIBOBENCH_DATA_DIR (or ./data)
    url: str | None = None
    hub_id: str | None = None
    revision: str | None = None  # pinned upstream commit or hub revision
    how_to_get: str = ""
    files: tuple[SourceFile, ...] = ()


class LabelRule(_Spec):
    """What one native label becomes. ``label`` None means the item is excluded."""

    native: str
    label: str | None
    subtypes: tuple[str, ...] = ()
    bucket: str | None = None  # a documented non-schema bucket, e.g. court "not recognised"
    rule: str


class LabelMapping(_Spec):
    field: str  # the native field the rules read
    description: str = ""
    rules: tuple[LabelRule, ...]


class DatasetSpec(_Spec):
    """What a user needs to know about a dataset before using it."""

    name: str
    description: str
    version: str
    license: str
    source: Source
    splits: tuple[str, ...]
    loader: str  # module exposing load(schema, **options) and data_files(**options)
    tasks: tuple[str, ...] = ("four_way",)
    annotation_schema_version: str | None = None  # label schema the gold labels were made under
    size: str = ""
    card: str | None = None
    citation: str | None = None
    mappings: tuple[LabelMapping, ...] = ()

    def mapping(self, field: str) -> LabelMapping:
        """The label mapping that reads the native ``field``."""
        for mapping in self.mappings:
            if mapping.field == field:
                return mapping
        raise SchemaError(
            f"benchmark/specs/{self.name}.yaml: no label mapping for field {field!r} (it maps "
            f"{[m.field for m in self.mappings]}); add one to the YAML."
        )


class Loader(Protocol):
    def load(self, schema: LabelSchema, **options: Any) -> DatasetDict: ...

    def data_files(self, **options: Any) -> list[Path]: ...


SPECS_DIR = Path(__file__).resolve().parent / "specs"


def _read_specs() -> dict[str, DatasetSpec]:
    specs = {}
    for path in sorted(SPECS_DIR.glob("*.yaml")):
        try:
            spec = DatasetSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except ValidationError as err:
            raise SchemaError(f"{path}: invalid dataset spec: {err}") from None
        specs[spec.name] = spec
    return specs


REGISTRY: dict[str, DatasetSpec] = _read_specs()


def list_datasets() -> list[str]:
    """Names of every registered dataset, sorted."""
    return sorted(REGISTRY)


def get_spec(name: str) -> DatasetSpec:
    try:
        return REGISTRY[name]
    except KeyError:
        raise DatasetNotFoundError(
            f"unknown dataset {name!r}; available datasets are {list_datasets()} "
            "(run 'hibobench datasets' to list them)."
        ) from None


def _loader(name: str) -> Loader:
    module: Any = importlib.import_module(get_spec(name).loader)
    return module


def load_dataset(name: str, *, schema: LabelSchema | None = None, **options: Any) -> DatasetDict:
    """Load a registered dataset as a ``datasets.DatasetDict``.

    The ``label`` column is a ``ClassLabel`` built from the label schema.
    """
    return _loader(name).load(schema or load_schema(), **options)


def dataset_files(name: str, **options: Any) -> list[Path]:
    """The files a dataset is read from (for checksums in the run's provenance)."""
    return _loader(name).data_files(**options)
