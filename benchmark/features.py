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
