"""Small pieces shared by the loaders of external datasets."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datasets import DatasetInfo

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
