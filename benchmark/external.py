"""Finding, checking and describing datasets that users download themselves.

A dataset that HiboBench cannot ship (licence, size, no text) is read from a local folder:

1. the loader option ``data_dir`` (config key ``dataset.options.data_dir``), else
2. ``$HIBOBENCH_DATA_DIR/<folder>``, else
3. ``./data/<folder>`` under the directory HiboBench runs in,

where ``<folder>`` is the spec's ``source.folder``. Missing files fail at once (nothing is
downloaded and the hub is never contacted when offline) with where to get them, where to put
them and the licence. Files with a pinned sha256 are verified; a mismatch is an error unless
the user accepts it with ``accept_checksum_mismatch=true``.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from benchmark.errors import HiboBenchError, HiboBenchWarning
from benchmark.provenance import sha256_file
from benchmark.registry import DatasetSpec

DATA_DIR_ENV = "HIBOBENCH_DATA_DIR"


class DatasetUnavailableError(HiboBenchError, FileNotFoundError):
    """A registered dataset whose files are not on this machine."""


class ChecksumMismatchError(HiboBenchError, ValueError):
    """A data file whose content differs from the pinned upstream version."""


def dataset_folder(spec: DatasetSpec, data_dir: str | Path | None = None) -> Path:
    if data_dir is not None:
        return Path(data_dir).expanduser()
    folder = spec.source.folder or spec.name
    root = os.environ.get(DATA_DIR_ENV)
    return Path(root).expanduser() / folder if root else Path("data") / folder


def unavailable_message(spec: DatasetSpec, folder: Path, missing: list[str]) -> str:
    source = spec.source
    where = source.url or (
        f"https://huggingface.co/datasets/{source.hub_id}" if source.hub_id else ""
    )
    return (
        f"dataset {spec.name!r} is not available: {', '.join(missing)} not found in {folder}. "
        f"Get it from {where or 'its publisher'}"
        + (f" ({source.how_to_get})" if source.how_to_get else "")
        + f", put the files in {folder} (or point dataset.options.data_dir at them, or set "
        f"${DATA_DIR_ENV} to the folder that holds '{source.folder or spec.name}'). "
        f"Licence: {spec.license}."
    )


def require_files(spec: DatasetSpec, folder: Path, names: list[str]) -> list[Path]:
    """The paths of ``names`` in ``folder``, or one error naming every missing file."""
    paths = [folder / name for name in names]
    missing = [name for name, path in zip(names, paths, strict=True) if not path.is_file()]
    if missing:
        raise DatasetUnavailableError(unavailable_message(spec, folder, missing))
    return paths


def is_available(spec: DatasetSpec, data_dir: str | Path | None = None) -> bool:
    folder = dataset_folder(spec, data_dir)
    return all((folder / f.path).is_file() for f in spec.source.files if f.required)


def verify_checksums(
    spec: DatasetSpec, folder: Path, *, accept_mismatch: bool = False
) -> dict[str, str]:
    """sha256 of every pinned file present in ``folder``; a mismatch is an error unless accepted."""
    found: dict[str, str] = {}
    for pinned in spec.source.files:
        path = folder / pinned.path
        if not path.is_file():
            continue
        digest = found[pinned.path] = sha256_file(path)
        if pinned.sha256 and digest != pinned.sha256:
            message = (
                f"{path}: sha256 is {digest} but {spec.name} {spec.version} expects "
                f"{pinned.sha256} (upstream {spec.source.revision or 'pinned version'}). The file "
                "differs from the version the mapping and reference results were made on; "
                "re-download it, or run with dataset.options.accept_checksum_mismatch=true to "
                "use it anyway (the actual sha256 is recorded in the result)."
            )
            if not accept_mismatch:
                raise ChecksumMismatchError(message)
            warnings.warn(message, HiboBenchWarning, stacklevel=2)
    return found
