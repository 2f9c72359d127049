import pytest
from pydantic import ValidationError

import benchmark
from benchmark import list_datasets, load_dataset
from benchmark.errors import DatasetNotFoundError
from benchmark.registry import REGISTRY, DatasetSpec


def test_registry_lists_hibo_core():
    assert "hibo_core" in list_datasets()
    assert list_datasets() == sorted(REGISTRY)


def test_unknown_dataset_names_the_available_ones():
    with pytest.raises(DatasetNotFoundError, match=r"unknown dataset 'hibo_kore'.*'hibo_core'"):
        load_dataset("hibo_kore")


def test_dataset_spec_forbids_unknown_fields():
    fields = REGISTRY["hibo_core"].model_dump()
    with pytest.raises(ValidationError, match="extra"):
        DatasetSpec(**fields, licence="typo")


def test_public_api_is_sorted_and_importable():
    assert benchmark.__all__ == sorted(benchmark.__all__)
    for name in benchmark.__all__:
        assert hasattr(benchmark, name), name
