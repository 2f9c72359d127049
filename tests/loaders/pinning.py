"""Pinning a file's sha256 in a registered spec for one test (for datasets whose upstream
files are not pinned yet, see their cards)."""

import pytest

from benchmark.registry import REGISTRY


def pin_sha256(monkeypatch: pytest.MonkeyPatch, dataset: str, name: str, digest: str) -> None:
    spec = REGISTRY[dataset]
    files = tuple(
        f.model_copy(update={"sha256": digest}) if f.path == name else f for f in spec.source.files
    )
    source = spec.source.model_copy(update={"files": files})
    monkeypatch.setitem(REGISTRY, dataset, spec.model_copy(update={"source": source}))
