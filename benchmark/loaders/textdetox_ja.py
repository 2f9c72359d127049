"""Loader for ``textdetox_ja``: the ``ja`` split of ``textdetox/multilingual_toxicity_dataset``.

The hub is never contacted by default. Export the split once, on a machine with internet::

    python -c "import datasets; datasets.load_dataset('textdetox/multilingual_toxicity_dataset',
               split='ja').to_parquet('ja.parquet')"

and put ``ja.parquet`` (or a ``ja.jsonl`` / ``ja.csv`` export with columns ``text`` and
``toxic``) in ``$HIBOBENCH_DATA_DIR/textdetox_ja`` or ``dataset.options.data_dir``. The first
of ``ja.parquet``, ``ja.jsonl``, ``ja.csv`` found is read.

Options:
  ``from_hub``  ``False`` (default). ``True``: when no local export exists, download the split
                with ``datasets.load_dataset`` at the spec's revision; refused when
                ``HF_HUB_OFFLINE``/``HF_DATASETS_OFFLINE`` is set.

Rows get ids ``textdetox-ja-<index>`` (0-based position in the split); ``toxic`` 0/1 is mapped
to the binary view ``actionable`` by the spec's rules (``benchmark/specs/textdetox_ja.yaml``).
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark import external
from benchmark.errors import ConfigError, HiboBenchWarning, SchemaError
from benchmark.features import binary_label_feature
from benchmark.loaders._tables import excluded_text
from benchmark.loaders.local import Record, read_records
from benchmark.registry import DatasetSpec, get_spec
from benchmark.schema import LabelSchema

if TYPE_CHECKING:
    from datasets import DatasetDict

NAME = "textdetox_ja"
VIEW = "actionable"
SPLIT = "test"
HUB_SPLIT = "ja"
FORMATS = {".parquet": "parquet", ".jsonl": "jsonl", ".csv": "csv"}
OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")


def _candidates(spec: DatasetSpec) -> list[str]:
    return [pinned.path for pinned in spec.source.files]


def _local_file(spec: DatasetSpec, folder: Path) -> Path | None:
    return next((folder / n for n in _candidates(spec) if (folder / n).is_file()), None)


def data_files(
    *, data_dir: str | Path | None = None, from_hub: bool = False, **_view_options: Any
) -> list[Path]:
    spec = get_spec(NAME)
    found = _local_file(spec, external.dataset_folder(spec, data_dir))
    return [found] if found is not None else []


def offline() -> bool:
    return any(
        os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
        for name in OFFLINE_VARIABLES
    )


def load(
    schema: LabelSchema,
    *,
    data_dir: str | Path | None = None,
    accept_checksum_mismatch: bool = False,
    from_hub: bool = False,
    **view_options: Any,
) -> DatasetDict:
    spec = get_spec(NAME)
    folder = external.dataset_folder(spec, data_dir)
    path = _local_file(spec, folder)
    if path is None and (not from_hub or offline()):
        if from_hub:
            raise external.DatasetUnavailableError(
                external.unavailable_message(spec, folder, _candidates(spec))
                + f" dataset.options.from_hub=true cannot download it: {' / '.join(OFFLINE_VARIABLES)}"
                " is set (offline mode)."
            )
        external.require_files(spec, folder, _candidates(spec))  # raises, naming every option
    if view_options:
        raise ConfigError(
            f"{NAME}: unknown option(s) {sorted(view_options)}; known options are data_dir, "
            "accept_checksum_mismatch, from_hub."
        )
    targets = {rule.native: rule.label for m in spec.mappings for rule in m.rules}
    feature = binary_label_feature(VIEW)
    for label in targets.values():
        if label is not None and label not in feature.names:
            raise SchemaError(
                f"benchmark/specs/{NAME}.yaml: mapping label {label!r} is not a label of the "
                f"binary view '{VIEW}' ({feature.names}); fix the spec."
            )
    if path is not None:
        external.verify_checksums(spec, folder, accept_mismatch=accept_checksum_mismatch)
        _, records = read_records(path, FORMATS[path.suffix])
        origin = path.name
    else:
        records = _hub_records(spec)
        origin = f"hub {spec.source.hub_id}@{spec.source.revision or 'unpinned'}"
    rows, excluded = build_rows(records, targets)

    from datasets import Dataset, DatasetDict, DatasetInfo, Features, Value

    features = Features(
        {"id": Value("string"), "text": Value("string"), "label": feature, "toxic": Value("int64")}
    )
    for row in rows:
        row["label"] = feature.str2int(row["label"])
    counts = Counter(feature.int2str(row["label"]) for row in rows)
    description = (
        f"TextDetox multilingual toxicity dataset, split ja ({origin}), as binary view "
        f"'{VIEW}': {len(rows)} rows ({dict(sorted(counts.items()))}); " + excluded_text(excluded)
    )
    info = DatasetInfo(description=description, license=spec.license, features=features)
    return DatasetDict({SPLIT: Dataset.from_list(rows, features=features, info=info)})


def _hub_records(spec: DatasetSpec) -> list[Record]:
    import datasets

    if spec.source.revision is None:
        warnings.warn(
            f"{NAME}: downloading {spec.source.hub_id} split {HUB_SPLIT} at the hub's current "
            "revision (the spec pins none), so the data may differ from run to run; export it "
            "once to ja.parquet and load it from there instead.",
            HiboBenchWarning,
            stacklevel=3,
        )
    data = datasets.load_dataset(
        spec.source.hub_id or "", split=HUB_SPLIT, revision=spec.source.revision
    )
    where = f"hub {spec.source.hub_id} split {HUB_SPLIT}"
    return [(f"{where}: row {n}", dict(row)) for n, row in enumerate(data, start=1)]


def _toxic_value(value: Any, where: str) -> int:
    """0 or 1; a CSV export stores them as the text "0"/"1", the other formats as integers."""
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return value
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return int(value.strip())
    raise SchemaError(
        f"{where}: field 'toxic' has value {value!r}; allowed values are 0 and 1. Re-export the "
        "split unchanged (see the card)."
    )


def build_rows(
    records: list[Record], targets: dict[str, str | None]
) -> tuple[list[dict[str, Any]], Counter[str]]:
    rows: list[dict[str, Any]] = []
    excluded: Counter[str] = Counter()
    for index, (where, record) in enumerate(records):
        for key in ("text", "toxic"):
            if key not in record:
                raise SchemaError(
                    f"{where}: field {key!r} is missing (the record has {sorted(record)}); the "
                    "export must have the columns text and toxic."
                )
        text = record["text"]
        if not isinstance(text, str):
            raise SchemaError(f"{where}: field 'text' is {text!r}; expected a string.")
        toxic = _toxic_value(record["toxic"], where)
        label = targets.get(str(toxic))
        if str(toxic) not in targets:
            raise SchemaError(
                f"{where}: toxic={toxic} has no rule in benchmark/specs/{NAME}.yaml; add one."
            )
        if label is None:
            excluded[str(toxic)] += 1
            continue
        rows.append({"id": f"textdetox-ja-{index}", "text": text, "label": label, "toxic": toxic})
    return rows, excluded
