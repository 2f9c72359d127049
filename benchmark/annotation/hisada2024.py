"""Annotation files of the court-case dataset (Hisada et al. 2024) as multi-annotator records.

``annotations/worker_{1,2,3}.jsonl`` hold one row per post of a court decision. Workers
transcribed the posts independently (wording and name tags differ), but each covers every
post of the cases it annotated, in the decision's order; so a post is identified by its case
number (``事件番号``) and its position within the case. Cases whose row count differs between
files cannot be aligned and are skipped with a warning.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmark.annotation.records import AnnotationError
from benchmark.errors import HiboBenchError, HiboBenchWarning
from benchmark.jsonl import iter_jsonl

RIGHTS = (
    "名誉権", "名誉感情", "私生活の平穏", "人格権・人格的利益", "営業権", "プライバシー",
    "肖像権", "氏名権", "著作財産権",
)  # fmt: skip
RECOGNISED = "裁判所の認容"
DERIVED_FIELD = "court_recognised_any"
FIELDS = ("Skip", *RIGHTS, DERIVED_FIELD)
REQUIRED_KEYS = ("Skip", "caseID", "本件投稿記事", "事件番号", *RIGHTS)


def looks_like_hisada(row: dict[str, Any]) -> bool:
    return "本件投稿記事" in row and "事件番号" in row


def iter_worker_rows(
    path: Path,
    *,
    error: type[HiboBenchError] = AnnotationError,
    hint: str = " (use --format hibobench for HiboBench records)",
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line_number, row)`` for each row of one worker file, after checking its keys.

    ``error`` is the exception raised for a malformed file (the dataset loader raises
    ``SchemaError``); ``hint`` ends the message about a missing key.
    """
    for number, row in iter_jsonl(path, error=error):
        for key in REQUIRED_KEYS:
            if key not in row:
                raise error(
                    f"{path}:{number}: field '{key}' is missing; this does not look like a "
                    f"Hisada et al. 2024 annotation file{hint}."
                )
        yield number, row


def read_worker_file(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Rows of one worker file grouped by case number, in file order."""
    cases: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for _number, row in iter_worker_rows(path):
        cases[str(row["事件番号"])].append(row)
    return cases


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def to_records(paths: list[Path]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Multi-annotator records (annotator = file stem) and an alignment summary."""
    if len(paths) < 2:
        raise AnnotationError(
            "give at least two worker files to compare (e.g. worker_1.jsonl worker_2.jsonl)."
        )
    files = {path.stem: read_worker_file(path) for path in paths}
    row_counts: dict[str, set[int]] = defaultdict(set)
    for cases in files.values():
        for case, rows in cases.items():
            row_counts[case].add(len(rows))
    misaligned = sorted(case for case, sizes in row_counts.items() if len(sizes) > 1)
    if misaligned:
        warnings.warn(
            f"{len(misaligned)} cases have different numbers of posts in different worker files "
            f"(first: {misaligned[0]}); they are skipped.",
            HiboBenchWarning,
            stacklevel=2,
        )
    records: list[dict[str, Any]] = []
    texts: dict[str, list[str]] = defaultdict(list)
    for annotator, cases in files.items():
        for case, rows in cases.items():
            if case in misaligned:
                continue
            for position, row in enumerate(rows):
                item_id = f"{case}#{position}"
                texts[item_id].append(_normalise(str(row["本件投稿記事"])))
                values: dict[str, Any] = {"Skip": row["Skip"]}
                values.update({right: row[right] for right in RIGHTS})
                values[DERIVED_FIELD] = any(row[right] == RECOGNISED for right in RIGHTS)
                records.append(
                    {
                        "item_id": item_id,
                        "annotator": annotator,
                        "text": row["本件投稿記事"],
                        **values,
                    }
                )
    shared = [t for t in texts.values() if len(t) >= 2]
    similar = sum(1 for t in shared if difflib.SequenceMatcher(None, t[0], t[1]).ratio() >= 0.5)
    summary = {
        "files": [str(p) for p in paths],
        "items_in_two_or_more_files": len(shared),
        "items_with_similar_text": similar,
        "cases_skipped_as_misaligned": len(misaligned),
    }
    return records, summary
