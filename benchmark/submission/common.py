"""Types and constants shared by the modules of :mod:`benchmark.submission`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from benchmark.schema import LabelSchema

JSON_FIELDS = ("id", "label", "scores")
BLANK = " \t\r"  # JSON whitespace apart from the newline itself


@dataclass(frozen=True)
class Context:
    path: Path
    ids: Sequence[str]
    dataset: str
    schema: LabelSchema
    renormalise: bool
    detect_encoding: bool = True


@dataclass(frozen=True)
class Table:
    """Parsed, not yet validated predictions, one entry per row in file order."""

    ids: pa.Array  # strings
    labels: pa.Array  # strings
    scores: np.ndarray | None  # (rows, classes) in schema order
    ignored: tuple[str, ...]  # fields or columns that are not read
    lines: np.ndarray | None  # line number of each row; None from the columnar reader


class Fallback(Exception):
    """The columnar reader cannot read the file or found a problem it cannot locate."""
