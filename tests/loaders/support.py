"""Helpers shared by the loader tests."""

import time

import pytest

from benchmark import load_dataset
from benchmark.external import DatasetUnavailableError
from benchmark.registry import REGISTRY


def unavailable_message(dataset: str, data_root, monkeypatch: pytest.MonkeyPatch) -> str:
    """The error of loading ``dataset`` from an empty ``$HIBOBENCH_DATA_DIR``; it must come at
    once (no hub retries)."""
    monkeypatch.setenv("HIBOBENCH_DATA_DIR", str(data_root))
    start = time.perf_counter()
    with pytest.raises(DatasetUnavailableError) as err:
        load_dataset(dataset)
    assert time.perf_counter() - start < 1.0
    return str(err.value)


def pin_sha256(monkeypatch: pytest.MonkeyPatch, dataset: str, name: str, digest: str) -> None:
    """Pin a file's sha256 in the spec for one test (upstream is not pinned yet, see the card)."""
    spec = REGISTRY[dataset]
    files = tuple(
        f.model_copy(update={"sha256": digest}) if f.path == name else f for f in spec.source.files
    )
    source = spec.source.model_copy(update={"files": files})
    monkeypatch.setitem(REGISTRY, dataset, spec.model_copy(update={"source": source}))
