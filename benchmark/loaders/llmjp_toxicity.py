"""Loader for ``llmjp_toxicity``, the LLM-jp Toxicity Dataset (v1 or v2), as a binary view.

Layout of the data folder (``$HIBOBENCH_DATA_DIR/llmjp_toxicity``): the upstream JSONL files,
unchanged. Each line is one web document::

    {"id": ..., "text": "...", "label": "toxic" | "nontoxic" | "has_toxic_expression",
     "obscene": "yes" | "no", "discriminatory": ..., "violent": ..., "illegal": ...,
     "personal": ..., "corporate": ..., "others": ...}

The label mapping and the category-flag → subtype hints are read from the spec
(``benchmark/specs/llmjp_toxicity.yaml``); nothing about labels is hard-coded here.

Options:
  ``file``                  ``v2`` (default, ``toxicity_dataset_ver2.jsonl``) or ``v1``
                            (``toxicity_dataset.jsonl``); the file names themselves work too.
  ``has_toxic_expression``  ``exclude`` (default: the spec's rule), ``actionable`` or
                            ``not_actionable``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark import external
from benchmark.errors import ConfigError, SchemaError
from benchmark.features import binary_label_feature
from benchmark.jsonl import iter_jsonl
from benchmark.loaders._tables import excluded_text
from benchmark.registry import DatasetSpec, LabelRule, get_spec
from benchmark.schema import LabelSchema

if TYPE_CHECKING:
    from datasets import DatasetDict

NAME = "llmjp_toxicity"
VIEW = "actionable"
SPLIT = "test"
FILES = {"v2": "toxicity_dataset_ver2.jsonl", "v1": "toxicity_dataset.jsonl"}
HAS_TOXIC_EXPRESSION = "has_toxic_expression"
HTE_CHOICES = ("exclude", "actionable", "not_actionable")
FLAG_VALUES = {"yes": True, "no": False}  # the documented values of every category flag


def _file_name(file: str) -> str:
    """``v2``/``v1`` or one of the spec's file names → the file name; anything else is an error."""
    name = FILES.get(file, file)
    if name not in {pinned.path for pinned in get_spec(NAME).source.files}:
        raise ConfigError(
            f"dataset.options.file is {file!r}; expected one of {list(FILES)} "
            f"(or the file name {list(FILES.values())})."
        )
    return name


def data_files(
    *, data_dir: str | Path | None = None, file: str = "v2", **_view_options: Any
) -> list[Path]:
    return [external.dataset_folder(get_spec(NAME), data_dir) / _file_name(file)]


def label_rules(spec: DatasetSpec) -> dict[str, LabelRule]:
    """The spec's rules for the native ``label`` field, by native value."""
    return {rule.native: rule for rule in spec.mapping("label").rules}


def flag_rules(spec: DatasetSpec) -> dict[str, LabelRule]:
    """The spec's category-flag rules, by flag name (``obscene=yes`` → ``obscene``)."""
    mapping = next(m for m in spec.mappings if m.field != "label")
    return {rule.native.split("=", 1)[0]: rule for rule in mapping.rules}


def _target(rules: dict[str, LabelRule], has_toxic_expression: str) -> dict[str, str | None]:
    """Native label → binary label (None: excluded), with the option's override applied."""
    if has_toxic_expression not in HTE_CHOICES:
        raise ConfigError(
            f"dataset.options.has_toxic_expression is {has_toxic_expression!r}; "
            f"expected one of {list(HTE_CHOICES)}."
        )
    targets = {native: rule.label for native, rule in rules.items()}
    if has_toxic_expression != "exclude":
        targets[HAS_TOXIC_EXPRESSION] = has_toxic_expression
    return targets


def _check_spec_labels(labels: list[str | None], names: list[str]) -> None:
    for label in labels:
        if label is not None and label not in names:
            raise SchemaError(
                f"benchmark/specs/{NAME}.yaml: mapping label {label!r} is not a label of the "
                f"binary view '{VIEW}' ({names}); fix the spec."
            )


def load(
    schema: LabelSchema,
    *,
    data_dir: str | Path | None = None,
    accept_checksum_mismatch: bool = False,
    file: str = "v2",
    has_toxic_expression: str = "exclude",
    **view_options: Any,
) -> DatasetDict:
    spec = get_spec(NAME)
    folder = external.dataset_folder(spec, data_dir)
    (path,) = external.require_files(spec, folder, [_file_name(file)])
    if view_options:
        raise ConfigError(
            f"{NAME}: unknown option(s) {sorted(view_options)}; known options are data_dir, "
            "accept_checksum_mismatch, file, has_toxic_expression."
        )
    external.verify_checksums(spec, folder, accept_mismatch=accept_checksum_mismatch)
    rules = label_rules(spec)
    targets = _target(rules, has_toxic_expression)
    flags = flag_rules(spec)
    feature = binary_label_feature(VIEW)
    _check_spec_labels([*targets.values(), *(rule.label for rule in flags.values())], feature.names)
    rows, excluded = read_rows(path, targets, flags)

    from datasets import Dataset, DatasetDict, DatasetInfo, Features, List, Value

    features = Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "label": feature,
            "native_label": Value("string"),
            "categories": List(Value("string")),
            "subtypes": List(Value("string")),
        }
    )
    for row in rows:
        row["label"] = feature.str2int(row["label"])
    kept = Counter(row["native_label"] for row in rows)
    description = (
        f"LLM-jp Toxicity Dataset ({path.name}) as binary view '{VIEW}': {len(rows)} rows kept "
        f"({dict(sorted(kept.items()))}); "
        + excluded_text(
            excluded, note=f", bucket {', '.join(sorted({rules[n].bucket or n for n in excluded}))}"
        )
    )
    info = DatasetInfo(description=description, license=spec.license, features=features)
    return DatasetDict({SPLIT: Dataset.from_list(rows, features=features, info=info)})


def read_rows(
    path: Path, targets: dict[str, str | None], flags: dict[str, LabelRule]
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Validated rows (label still a string) and the count of excluded rows per native label."""
    rows: list[dict[str, Any]] = []
    excluded: Counter[str] = Counter()
    seen: dict[str, int] = {}
    for number, obj in iter_jsonl(path, error=SchemaError):
        where = f"{path}:{number}"
        for key in ("id", "text", "label", *flags):
            if key not in obj:
                raise SchemaError(
                    f"{where}: required field {key!r} is missing; every line of the LLM-jp "
                    f"Toxicity Dataset has id, text, label and {', '.join(flags)}. Re-download "
                    "the file unchanged."
                )
        native_id = obj["id"]
        if isinstance(native_id, bool) or not isinstance(native_id, (str, int)):
            raise SchemaError(
                f"{where}: field 'id' is {native_id!r}; expected a string or an integer."
            )
        row_id = str(native_id)
        if row_id in seen:
            raise SchemaError(f"{where}: id {row_id!r} already used on line {seen[row_id]}.")
        seen[row_id] = number
        text = obj["text"]
        if not isinstance(text, str):
            raise SchemaError(f"{where}: field 'text' is {type(text).__name__}; expected a string.")
        native = obj["label"]
        if native not in targets:
            raise SchemaError(
                f"{where}: field 'label' has value {native!r}; allowed values are "
                f"{sorted(targets)}. The file is not the LLM-jp Toxicity Dataset format, or "
                "upstream added a label: add a rule for it to benchmark/specs/llmjp_toxicity.yaml."
            )
        categories = []
        for flag in flags:
            value = obj[flag]
            if value not in FLAG_VALUES:
                raise SchemaError(
                    f"{where}: field {flag!r} has value {value!r}; allowed values are "
                    f"{list(FLAG_VALUES)}. Re-download the file unchanged."
                )
            if FLAG_VALUES[value]:
                categories.append(flag)
        label = targets[native]
        if label is None:
            excluded[native] += 1
            continue
        subtypes = sorted(
            {s for flag in categories if flags[flag].label == label for s in flags[flag].subtypes}
        )
        rows.append(
            {
                "id": row_id,
                "text": text,
                "label": label,
                "native_label": native,
                "categories": categories,
                "subtypes": subtypes,
            }
        )
    return rows, excluded
