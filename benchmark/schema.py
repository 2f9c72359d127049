"""The label schema, loaded from ``annotation_guidelines/schema.yaml``.

This module is the only place that knows label names: everything else asks a
:class:`LabelSchema` for them.

>>> schema = load_schema()
>>> schema.class_ids
('illegal', 'harmful', 'criticism', 'none')
>>> schema.str2int("criticism")
2
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from numbers import Integral
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from benchmark.errors import SchemaError
from benchmark.resources import guidelines_dir

SUPPORTED_SCHEMA_VERSIONS = ("0.1", "0.2")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueDef(_Model):
    id: str
    name_ja: str
    name_en: str
    description_en: str | None = None


class ClassDef(_Model):
    id: str
    name_ja: str
    name_en: str
    definition_ja: str
    definition_en: str


class FieldDef(_Model):
    kind: Literal["single", "multi", "boolean", "spans", "path"]
    values: tuple[ValueDef, ...] = ()
    applies_to: tuple[str, ...] = ()
    level: Literal["post", "thread"] = "post"
    since: str = "0.1"
    annotated: bool = True  # False: metadata of examples, not asked of annotators
    description_en: str | None = None

    @property
    def value_ids(self) -> tuple[str, ...]:
        return tuple(v.id for v in self.values)


class RateDef(_Model):
    """A rate over items of some gold classes: the share predicted as one of ``predicted``."""

    name_ja: str
    name_en: str
    description_en: str
    description_ja: str
    gold: tuple[str, ...]
    predicted: tuple[str, ...]


class StepDef(_Model):
    id: str
    name_ja: str
    name_en: str


class ChangeDef(_Model):
    version: str
    date: str
    changes_en: str
    changes_ja: str


class Condition(_Model):
    in_: tuple[Any, ...] | None = Field(default=None, alias="in")
    not_in: tuple[Any, ...] | None = None

    def allows(self, value: Any) -> bool:
        if self.in_ is not None and value not in self.in_:
            return False
        return not (self.not_in is not None and value in self.not_in)


class RuleDef(_Model):
    """If every ``if`` field has one of its listed values, every ``then`` field must meet its condition."""

    if_: dict[str, tuple[Any, ...]] = Field(alias="if")
    then: dict[str, Condition]
    because_en: str


class LabelSchema(_Model):
    """A versioned label schema: the four classes and the other annotation fields."""

    version: str
    classes: tuple[ClassDef, ...]
    fields: dict[str, FieldDef]
    rates: dict[str, RateDef]
    decision_tree: tuple[StepDef, ...] = ()
    rules: tuple[RuleDef, ...] = ()
    changelog: tuple[ChangeDef, ...] = ()
    source: str = "schema.yaml"

    @property
    def class_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.classes)

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    def class_def(self, class_id: str) -> ClassDef:
        return self.classes[self.str2int(class_id)]

    def str2int(self, name: str) -> int:
        """Index of a class id (``'illegal'`` → 0); Japanese names are accepted too."""
        index = self._class_index().get(name)
        if index is None:
            raise SchemaError(self._bad_value_message("label", name, self.class_ids))
        return index

    def int2str(self, index: int) -> str:
        if not 0 <= index < self.num_classes:
            raise SchemaError(
                f"label index {index} is out of range; expected an integer in "
                f"0..{self.num_classes - 1} (schema {self.version})."
            )
        return self.classes[index].id

    def to_indices(self, labels: Iterable[Any], *, what: str = "labels") -> list[int]:
        """Class indices for labels given as indices or as names (ids or Japanese names)."""
        if isinstance(labels, np.ndarray) and labels.dtype.kind in "iu":
            # the common case of a million predictions: check the range at once
            bad = np.flatnonzero((labels < 0) | (labels >= self.num_classes))
            if bad.size == 0:
                return cast(list[int], labels.astype(np.int64).tolist())
            raise self._bad_index(what, int(bad[0]), int(labels[bad[0]]))
        out: list[int] = []
        for position, label in enumerate(labels):
            if isinstance(label, bool):
                raise SchemaError(
                    f"{what}[{position}] is a boolean ({label!r}); expected a class id."
                )
            if isinstance(label, Integral):
                index = int(label)
                if not 0 <= index < self.num_classes:
                    raise self._bad_index(what, position, index)
                out.append(index)
            elif isinstance(label, str):
                try:
                    out.append(self.str2int(label))
                except SchemaError as err:
                    raise SchemaError(f"{what}[{position}]: {err}") from None
            else:
                raise SchemaError(
                    f"{what}[{position}] is {label!r} of type {type(label).__name__}; "
                    f"expected a class id {list(self.class_ids)} or an index 0..{self.num_classes - 1}."
                )
        return out

    def _bad_index(self, what: str, position: int, index: int) -> SchemaError:
        return SchemaError(
            f"{what}[{position}] is {index}; expected a class index in "
            f"0..{self.num_classes - 1} or a class id {list(self.class_ids)}."
        )

    def validate_record(
        self,
        record: Mapping[str, Any],
        *,
        required: Sequence[str] = ("label",),
        where: str = "record",
    ) -> None:
        """Raise :class:`SchemaError` naming the field, the value and the allowed values."""
        for name in required:
            if name not in record:
                raise SchemaError(
                    f"{where}: required field '{name}' is missing; add it "
                    f"(see {self.source}, version {self.version})."
                )
        label = record.get("label")
        if label is not None and label not in self.class_ids:
            raise SchemaError(
                f"{where}: " + self._bad_value_message("label", label, self.class_ids)
            )
        for name, field in self.fields.items():
            if name in record:
                self._check_field(name, field, record[name], where, record.get("text"))
        for name, field in self.fields.items():
            if field.applies_to and record.get(name) and label not in field.applies_to:
                raise SchemaError(
                    f"{where}: field '{name}' is {record[name]!r} but label is {label!r}; "
                    f"'{name}' may only be set when label is one of {list(field.applies_to)}. "
                    f"Clear '{name}' or change the label."
                )
            if (
                field.applies_to
                and label in field.applies_to
                and name in record
                and not record[name]
            ):
                raise SchemaError(
                    f"{where}: label is {label!r} but field '{name}' is empty; give at least one of "
                    f"{list(field.value_ids)}."
                )
        for rule in self.rules:
            self._check_rule(rule, record, where)

    def _check_rule(self, rule: RuleDef, record: Mapping[str, Any], where: str) -> None:
        if not all(name in record and record[name] in values for name, values in rule.if_.items()):
            return
        for name, condition in rule.then.items():
            if name in record and not condition.allows(record[name]):
                context = ", ".join(f"{k} is {record[k]!r}" for k in rule.if_)
                raise SchemaError(
                    f"{where}: field '{name}' is {record[name]!r} but {context}; "
                    f"{rule.because_en} (schema {self.version} rules)."
                )

    def _check_field(
        self, name: str, field: FieldDef, value: Any, where: str, text: str | None
    ) -> None:
        if field.kind == "spans":
            self._check_spans(name, field, value, where, text)
            return
        if field.kind == "path":
            steps = [step.id for step in self.decision_tree]
            self._check_list(name, value, steps, where, allow_empty=False)
            order = [steps.index(step) for step in value]
            if order != sorted(set(order)):
                raise SchemaError(
                    f"{where}: field '{name}' is {value!r}; list each step once, in the tree's "
                    f"order ({' → '.join(steps)})."
                )
            return
        if field.kind == "boolean":
            if not isinstance(value, bool):
                raise SchemaError(
                    f"{where}: field '{name}' has value {value!r}; allowed values are [true, false]."
                )
            return
        allowed = field.value_ids
        if field.kind == "multi":
            self._check_list(name, value, allowed, where, allow_empty=True)
            if len(set(value)) != len(value):
                raise SchemaError(f"{where}: field '{name}' repeats a value: {value!r}.")
        elif value not in allowed:
            raise SchemaError(f"{where}: " + self._bad_value_message(name, value, allowed))

    def _check_list(
        self, name: str, value: Any, allowed: Sequence[str], where: str, *, allow_empty: bool
    ) -> None:
        if not isinstance(value, list) or (not value and not allow_empty):
            raise SchemaError(
                f"{where}: field '{name}' must be a {'' if allow_empty else 'non-empty '}list of "
                f"values from {list(allowed)}; got {value!r}."
            )
        for item in value:
            if item not in allowed:
                raise SchemaError(f"{where}: " + self._bad_value_message(name, item, allowed))

    def _check_spans(
        self, name: str, field: FieldDef, value: Any, where: str, text: str | None
    ) -> None:
        if not isinstance(value, list):
            raise SchemaError(f"{where}: field '{name}' must be a list of spans; got {value!r}.")
        for i, span in enumerate(value):
            at = f"{where}: {name}[{i}]"
            if not isinstance(span, dict) or set(span) != {"start", "end", "label", "text"}:
                raise SchemaError(
                    f"{at} must be an object with keys start, end, label, text; got {span!r}."
                )
            if span["label"] not in field.value_ids:
                raise SchemaError(
                    f"{at}: "
                    + self._bad_value_message(f"{name}.label", span["label"], field.value_ids)
                )
            start, end = span["start"], span["end"]
            if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end:
                raise SchemaError(
                    f"{at}: start {start!r} and end {end!r} must be integers with 0 <= start < end."
                )
            if text is not None and text[start:end] != span["text"]:
                raise SchemaError(
                    f"{at}: text[{start}:{end}] is {text[start:end]!r} but the span says "
                    f"{span['text']!r}; recompute the offsets (Python string indices)."
                )

    def _bad_value_message(self, name: str, value: Any, allowed: Sequence[str]) -> str:
        return (
            f"field '{name}' has value {value!r}; allowed values are {list(allowed)} "
            f"(schema {self.version}, {self.source})."
        )

    def _class_index(self) -> dict[str, int]:
        index = {c.id: i for i, c in enumerate(self.classes)}
        index.update({c.name_ja: i for i, c in enumerate(self.classes)})
        return index


def default_schema_path() -> Path:
    return guidelines_dir() / "schema.yaml"


def archived_schema_path(version: str) -> Path:
    return guidelines_dir() / "schema_versions" / f"schema-{version}.yaml"


@lru_cache(maxsize=8)
def load_schema(path: str | Path | None = None, *, version: str | None = None) -> LabelSchema:
    """Load and validate a schema file.

    Default: the current packaged ``schema.yaml``. ``version="0.1"`` loads an older
    version kept in ``annotation_guidelines/schema_versions/``.
    """
    if version is not None:
        if path is not None:
            raise SchemaError("give either a schema path or a schema version, not both.")
        archived = archived_schema_path(version)
        schema = load_schema(archived if archived.is_file() else None)
        if schema.version != version:
            raise SchemaError(
                f"schema version {version!r} is not available; this HiboBench reads versions "
                f"{list(SUPPORTED_SCHEMA_VERSIONS)}."
            )
        return schema
    path = Path(path) if path is not None else default_schema_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError(f"schema file {path} does not exist.") from None
    except yaml.YAMLError as err:
        raise SchemaError(f"schema file {path} is not valid YAML: {err}") from None
    if not isinstance(raw, dict):
        raise SchemaError(f"schema file {path} must hold a mapping; got {type(raw).__name__}.")
    version = str(raw.get("version"))
    if version not in SUPPORTED_SCHEMA_VERSIONS:
        raise SchemaError(
            f"schema file {path} has version {version!r}; this HiboBench reads versions "
            f"{list(SUPPORTED_SCHEMA_VERSIONS)}. Upgrade hibobench or use a supported schema."
        )
    try:
        schema = LabelSchema.model_validate({**raw, "version": version, "source": str(path)})
    except ValidationError as err:
        first = err.errors()[0]
        location = ".".join(str(p) for p in first["loc"])
        raise SchemaError(f"schema file {path}: field '{location}': {first['msg']}.") from None
    if len(set(schema.class_ids)) != schema.num_classes:
        raise SchemaError(f"schema file {path}: class ids repeat: {list(schema.class_ids)}.")
    for rate_name, rate in schema.rates.items():
        for class_id in (*rate.gold, *rate.predicted):
            if class_id not in schema.class_ids:
                raise SchemaError(
                    f"schema file {path}: rates.{rate_name} names class {class_id!r}; "
                    f"allowed values are {list(schema.class_ids)}."
                )
    return schema
