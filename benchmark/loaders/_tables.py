"""Small pieces shared by the loaders of external datasets."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from benchmark.errors import SchemaError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from datasets import DatasetInfo

    from benchmark.registry import LabelMapping

COUNTS_PREFIX = "counts: "  # the line of DatasetInfo.description that holds the row counts


def to_dataset(records: list[dict[str, Any]], features: Any, info: DatasetInfo) -> Any:
    """A Dataset with exactly ``features`` (also when ``records`` is empty)."""
    from datasets import Dataset

    columns = {name: [record[name] for record in records] for name in features}
    return Dataset.from_dict(columns, features=features, info=info)


def exclusion_counts(info: DatasetInfo) -> dict[str, Any]:
    """The counts a loader wrote into ``info.description`` (rows, excluded per reason …)."""
    for line in (info.description or "").splitlines():
        if line.startswith(COUNTS_PREFIX):
            counts: dict[str, Any] = json.loads(line[len(COUNTS_PREFIX) :])
            return counts
    raise ValueError("this DatasetInfo has no HiboBench counts line")


def voting_options(mapping: LabelMapping, *, dataset: str) -> dict[str, str]:
    """Native value → the option it votes for: the rule's label, or its bucket when excluded."""
    options = {}
    for rule in mapping.rules:
        option = rule.label or rule.bucket
        if option is None:
            raise SchemaError(
                f"{dataset} spec, mapping {mapping.field!r}, native {rule.native!r}: an excluded "
                "value needs a bucket (the name of its voting option)."
            )
        options[rule.native] = option
    return options


def excluded_text(excluded: Mapping[str, int], *, kind: str = "", note: str = "") -> str:
    """The end of a loader's description: how many rows were excluded, and why."""
    if not excluded:
        return "no rows excluded."
    counts = dict(sorted(excluded.items()))
    return f"{sum(excluded.values())} rows {kind}excluded ({counts}{note})."
