"""The dataset registry: typed metadata for every dataset HiboBench can load.

>>> "hibo_core" in list_datasets()
True
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict

from benchmark.errors import DatasetNotFoundError
from benchmark.schema import LabelSchema, load_schema

if TYPE_CHECKING:
    from datasets import DatasetDict


class DatasetSpec(BaseModel):
    """What a user needs to know about a dataset before using it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    version: str
    license: str
    source: str
    splits: tuple[str, ...]
    loader: str  # module exposing load(schema, **options) and data_files(**options)
    annotation_schema_version: str | None = None  # label schema the gold labels were made under
    card: str | None = None
    citation: str | None = None


class Loader(Protocol):
    def load(self, schema: LabelSchema, **options: Any) -> DatasetDict: ...

    def data_files(self, **options: Any) -> list[Path]: ...


REGISTRY: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            name="hibo_core",
            description=(
                "HiboBench's built-in starter set: fictional Japanese posts written for the "
                "project, grouped into scenarios with minimal pairs across the four classes."
            ),
            version="0.1.0",
            license="CC BY 4.0",
            source="built-in (benchmark/data/hibo_core)",
            splits=("train", "test"),
            loader="benchmark.loaders.hibo_core",
            annotation_schema_version="0.1",
            card="benchmark/data/hibo_core/README.md",
        ),
    )
}


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
