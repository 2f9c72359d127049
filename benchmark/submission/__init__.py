"""Reading a submitted predictions file strictly: JSON Lines, CSV or TSV.

Formats, told apart by the file's suffix:

``.jsonl`` / ``.json``
    one JSON object per line, ``{"id": ..., "label": ..., "scores": {class_id: number, ...}}``.
``.csv`` / ``.tsv``
    a header row naming the columns ``id``, ``label`` and, optionally, one score column per
    class named ``score_<class id>`` (``score_illegal``, ``score_harmful``, ``score_criticism``,
    ``score_none``). Header names are matched ignoring case, width and surrounding spaces.
``.txt``
    JSON Lines when the first non-blank character is ``{``, else TSV when the header line has a
    tab, else CSV.

Encodings: UTF-8 with or without a BOM, or CP932 (Shift_JIS); detected (UTF-8 first, then
CP932) unless ``encoding`` is given. CRLF line endings are fine.

Labels: the class ids in any letter case, each class's Japanese name in the schema, and the
short aliases 違法, 有害, 批判, 正当な批判 and 該当なし; labels are NFKC-normalised and stripped
first, so full-width ``ｉｌｌｅｇａｌ`` works. Ids are compared as strings (``1`` matches
``"1"``); an id that matches no item exactly is looked up again NFKC-normalised and stripped.

Scores are optional but, when given, are given on every row for every class, and every row
is a probability distribution: finite, non-negative and summing to one within 1e-6. With
``renormalise_scores`` a row of non-negative scores with a positive sum is divided by its sum.

Other fields or columns are ignored and named in :attr:`Submission.notices`. Any problem
raises :class:`PredictionsError` with one line naming the file, the line, what was expected,
what was found and how to fix it; nothing is scored from a partly valid file.

A file is first read by a columnar reader (pyarrow) and checked with vectorised code. When
that finds a problem, or cannot read the file, the file is read again line by line only to
name the offending line; both readers feed the same checks, so the result does not depend on
the path taken.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmark.errors import PredictionsError
from benchmark.provenance import sha256_file
from benchmark.schema import LabelSchema
from benchmark.submission.checks import EXTRA_ALIASES, SUM_TOLERANCE, validate
from benchmark.submission.columnar import read_columnar
from benchmark.submission.common import Context as _Context  # tests build a _Context for _read
from benchmark.submission.common import Fallback
from benchmark.submission.encoding import FORMATS, NON_BLANK, decode, file_format, read_bytes
from benchmark.submission.lines import SCORE_PREFIX, read_line_by_line

__all__ = [
    "EXTRA_ALIASES",
    "FORMATS",
    "SCORE_PREFIX",
    "SUM_TOLERANCE",
    "Submission",
    "read_submission",
    "sha256_file",  # re-exported from benchmark.provenance
]


@dataclass(frozen=True)
class Submission:
    """Predictions aligned with the dataset's item order."""

    path: Path
    sha256: str
    labels: np.ndarray
    scores: np.ndarray | None
    format: str = "jsonl"
    encoding: str = "utf-8"
    notices: tuple[str, ...] = ()

    def provenance(self) -> dict[str, str]:
        return {
            "path": str(self.path),
            "sha256": self.sha256,
            "format": self.format,
            "encoding": self.encoding,
        }


def read_submission(
    path: str | Path,
    *,
    ids: Sequence[str],
    schema: LabelSchema,
    dataset: str,
    encoding: str | None = None,
    renormalise_scores: bool = False,
) -> Submission:
    """Parse and validate ``path`` against the item ids of ``dataset`` (e.g. ``"hibo_core/test"``).

    ``encoding`` None detects UTF-8 (BOM allowed) or CP932; ``renormalise_scores`` divides each
    score row by its sum instead of rejecting rows that do not sum to one.
    """
    return _read(
        Path(path),
        _Context(Path(path), ids, dataset, schema, renormalise_scores, encoding is None),
        encoding,
        columnar=True,
    )


def _read(path: Path, ctx: _Context, encoding: str | None, *, columnar: bool) -> Submission:
    data = read_bytes(path)
    if not data:
        raise PredictionsError(
            f"{path}: the file is empty (0 bytes); write one prediction per item of {ctx.dataset}."
        )
    text, used = decode(path, data, encoding)
    fmt = file_format(path, text)
    if NON_BLANK.search(text) is None:
        raise PredictionsError(
            f"{path}: the file holds no predictions, only blank lines; write one row per item of {ctx.dataset}."
        )
    if columnar:
        try:
            labels, scores, notices = validate(read_columnar(data, text, used, fmt, ctx), ctx)
            return _submission(ctx, data, labels, scores, fmt, used, notices)
        except (Fallback, PredictionsError):
            pass  # every error comes from the line reader, which names the line at fault
    labels, scores, notices = validate(read_line_by_line(text, fmt, ctx), ctx)
    return _submission(ctx, data, labels, scores, fmt, used, notices)


def _submission(
    ctx: _Context,
    data: bytes,
    labels: np.ndarray,
    scores: np.ndarray | None,
    fmt: str,
    encoding: str,
    notices: list[str],
) -> Submission:
    if encoding == "cp932" and ctx.detect_encoding:
        notices.insert(0, f"{ctx.path}: not UTF-8, so read as CP932 (Shift_JIS).")
    return Submission(
        path=ctx.path,
        sha256=hashlib.sha256(data).hexdigest(),
        labels=labels,
        scores=scores,
        format=fmt,
        encoding=encoding,
        notices=tuple(notices),
    )
