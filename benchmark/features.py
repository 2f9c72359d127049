"""Hugging Face ``datasets`` features built from the label schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from benchmark.schema import LabelSchema

if TYPE_CHECKING:
    from datasets import Features


def annotation_features(schema: LabelSchema, *, string_columns: Sequence[str] = ()) -> Features:
    """Features of a fully annotated HiboBench record.

    ``label`` is a ``ClassLabel`` whose names are the schema's class ids; multi-valued
    schema fields are lists of strings, boolean fields are booleans, the rest strings.
    ``string_columns`` adds dataset-specific string columns.
    """
    from datasets import ClassLabel, Features, List, Value

    columns: dict = {
        "id": Value("string"),
        "text": Value("string"),
        "label": ClassLabel(names=list(schema.class_ids)),
    }
    for name, field in schema.fields.items():
        if field.kind == "multi":
            columns[name] = List(Value("string"))
        elif field.kind == "boolean":
            columns[name] = Value("bool")
        else:
            columns[name] = Value("string")
    columns.update({name: Value("string") for name in string_columns})
    return Features(columns)
