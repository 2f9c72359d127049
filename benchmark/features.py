"""Hugging Face ``datasets`` features built from the label schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from benchmark.schema import LabelSchema

if TYPE_CHECKING:
    from datasets import Features


def annotation_features(
    schema: LabelSchema, *, fields: Sequence[str], string_columns: Sequence[str] = ()
) -> Features:
    """Features of an annotated record holding ``fields`` of the schema.

    ``label`` is a ``ClassLabel`` whose names are the schema's class ids; multi-valued
    fields and decision paths are lists of strings, spans are lists of
    ``{start, end, label, text}``, booleans are booleans and the rest strings.
    ``string_columns`` adds dataset-specific string columns.
    """
    from datasets import ClassLabel, Features, List, Value

    columns: dict[str, Any] = {
        "id": Value("string"),
        "text": Value("string"),
        "label": ClassLabel(names=list(schema.class_ids)),
    }
    for name in fields:
        kind = schema.fields[name].kind
        if kind in ("multi", "path"):
            columns[name] = List(Value("string"))
        elif kind == "spans":
            columns[name] = List(
                {
                    "start": Value("int32"),
                    "end": Value("int32"),
                    "label": Value("string"),
                    "text": Value("string"),
                }
            )
        elif kind == "boolean":
            columns[name] = Value("bool")
        else:
            columns[name] = Value("string")
    columns.update({name: Value("string") for name in string_columns})
    return Features(columns)


# Binary views of the four classes, for datasets that only say "infringing or not" (court
# decisions) or "toxic or not". A four-way prediction counts as positive when it is one of
# the view's classes.
BINARY_VIEWS: dict[str, tuple[str, ...]] = {
    "illegal": ("illegal",),
    "actionable": ("illegal", "harmful"),
}


def binary_label_feature(view: str) -> Any:
    """``ClassLabel(names=["not_<view>", "<view>"])`` for a binary dataset (1 = positive)."""
    from datasets import ClassLabel

    if view not in BINARY_VIEWS:
        raise ValueError(f"binary view {view!r}; expected one of {sorted(BINARY_VIEWS)}")
    return ClassLabel(names=[f"not_{view}", view])


def binary_view_of(label_names: list[str]) -> str | None:
    """The binary view a ``label`` feature encodes, or None for a four-way label."""
    if (
        len(label_names) == 2
        and label_names[1] in BINARY_VIEWS
        and label_names[0] == f"not_{label_names[1]}"
    ):
        return label_names[1]
    return None
